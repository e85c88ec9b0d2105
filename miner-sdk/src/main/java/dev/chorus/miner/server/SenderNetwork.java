package dev.chorus.miner.server;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The network a request comes from, as fairness between senders counts it: an IPv4 address, or an IPv6 address's
 * /64 prefix. A single host is usually given a whole IPv6 /64, so counted address by address one machine could send
 * from as many addresses as it likes and claim a turn for each.
 */
final class SenderNetwork {

    private static final int IPV6_PREFIX_BYTES = 8;

    private SenderNetwork() {
    }

    /** @param hostAddress a numeric address as the socket reports it (IPv4-mapped IPv6 counts as IPv4) */
    static String of(String hostAddress) {
        if (hostAddress == null || hostAddress.indexOf(':') < 0 || !startsLikeIpv6(hostAddress)) {
            return String.valueOf(hostAddress);
        }
        InetAddress address;
        try {
            // A name with a colon that starts with a hex digit or a colon is parsed as an IPv6 literal, never looked up.
            address = InetAddress.getByName(hostAddress);
        } catch (UnknownHostException notALiteral) {
            return hostAddress;
        }
        if (address instanceof Inet6Address) {
            return HexFormat.of().formatHex(Arrays.copyOf(address.getAddress(), IPV6_PREFIX_BYTES)) + "::/64";
        }
        return address.getHostAddress();
    }

    private static boolean startsLikeIpv6(String text) {
        char first = text.charAt(0);
        return first == ':' || Character.digit(first, 16) >= 0;
    }
}
