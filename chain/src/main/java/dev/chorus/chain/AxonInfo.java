package dev.chorus.chain;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a neuron serves, as the neuron precompile stores it: {@code ip} is the integer form of an
 * IPv4 ({@code ipType} 4) or IPv6 ({@code ipType} 6) address, {@code block} the block it was served at.
 */
public record AxonInfo(long block, int version, BigInteger ip, int port, int ipType, int protocol) {

    private static final Pattern IPV4_LITERAL = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    /** Hex groups with colons, possibly ending in a dotted IPv4 part: getByName parses such text, never resolves it. */
    private static final Pattern IPV6_LITERAL = Pattern.compile("[0-9a-fA-F:]*:[0-9a-fA-F:.]*");

    public static final AxonInfo NONE = new AxonInfo(0, 0, BigInteger.ZERO, 0, 0, 0);

    public boolean isServing() {
        return port != 0 && ip.signum() != 0;
    }

    /** The address as text ("127.0.0.1", "::1"); empty when nothing is served. */
    public String host() {
        if (!isServing()) {
            return "";
        }
        int length = ipType == 6 ? 16 : 4;
        byte[] raw = ip.toByteArray();
        byte[] address = new byte[length];
        int copy = Math.min(raw.length, length);
        System.arraycopy(raw, raw.length - copy, address, length - copy, copy);
        try {
            return InetAddress.getByAddress(address).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException("an address of " + length + " bytes is always valid", e);
        }
    }

    /** Base URL of the axon, e.g. {@code http://127.0.0.1:8091}. */
    public String baseUrl() {
        String host = host();
        return "http://" + (ipType == 6 ? "[" + host + "]" : host) + ":" + port;
    }

    /** Encodes a textual IPv4 or IPv6 address the way {@code serveAxon} expects it. */
    public static BigInteger encodeIp(String host) {
        return new BigInteger(1, literal(host).getAddress());
    }

    public static int ipTypeOf(String host) {
        return literal(host).getAddress().length == 16 ? 6 : 4;
    }

    /**
     * Only IP literals: the chain stores an address, and resolving a host name here would block on DNS without a
     * timeout and could store whatever the resolver said that moment.
     */
    private static InetAddress literal(String host) {
        String text = host == null ? "" : host.strip();
        String problem = "not an IP address: '" + text + "'; give the axon's IPv4 or IPv6 address (host names are not"
                + " resolved)";
        try {
            Matcher v4 = IPV4_LITERAL.matcher(text);
            if (v4.matches()) {
                byte[] octets = new byte[4];
                for (int k = 0; k < 4; k++) {
                    int octet = Integer.parseInt(v4.group(k + 1));
                    if (octet > 255) {
                        throw new IllegalArgumentException(problem);
                    }
                    octets[k] = (byte) octet;
                }
                return InetAddress.getByAddress(octets);
            }
            if (IPV6_LITERAL.matcher(text).matches()) {
                return InetAddress.getByName(text);
            }
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(problem, e);
        }
        throw new IllegalArgumentException(problem);
    }
}
