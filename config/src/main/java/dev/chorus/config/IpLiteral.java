package dev.chorus.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 address written out, read from the text alone. Host names are never resolved: an axon address is
 * stored on chain as an address, and a lookup would block on DNS without a timeout and store whatever the resolver
 * said at that moment. Shared by the settings checks (refused as they load, before any fee is paid) and the chain
 * client that encodes the address.
 */
public final class IpLiteral {

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    /** Hex groups with colons, possibly ending in a dotted IPv4 part: getByName parses such text, never resolves it. */
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:]*:[0-9a-fA-F:.]*");

    private IpLiteral() {
    }

    /**
     * "host:port" as a URL writes it: an IPv6 literal in brackets, since in "::1:80" the port reads as part of the
     * address. A host that is not an IPv6 literal (an IPv4 address, a name), or is already bracketed, is written as it is.
     */
    public static String withPort(String host, int port) {
        return (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
    }

    /** The address {@code text} spells (surrounding blanks ignored), or empty when it is not an IP literal. */
    public static Optional<InetAddress> parse(String text) {
        String literal = text == null ? "" : text.strip();
        try {
            Matcher v4 = IPV4.matcher(literal);
            if (v4.matches()) {
                byte[] octets = new byte[4];
                for (int k = 0; k < 4; k++) {
                    int octet = Integer.parseInt(v4.group(k + 1));
                    if (octet > 255) {
                        return Optional.empty();
                    }
                    octets[k] = (byte) octet;
                }
                return Optional.of(InetAddress.getByAddress(octets));
            }
            if (IPV6.matcher(literal).matches()) {
                return Optional.of(InetAddress.getByName(literal));
            }
        } catch (UnknownHostException notAnAddress) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /**
     * Whether {@code host} names this machine's loopback without a lookup: {@code localhost} or a loopback literal, an
     * IPv6 one with or without brackets. Any other name counts as not loopback, whatever it would resolve to.
     */
    public static boolean isLoopbackHost(String host) {
        if (host == null) {
            return false;
        }
        String name = host.strip();
        return name.equalsIgnoreCase("localhost")
                || parse(name.replaceAll("^\\[|]$", "")).map(InetAddress::isLoopbackAddress).orElse(false);
    }
}
