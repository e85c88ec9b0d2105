package dev.chorus.validator;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The address ranges that lead into a validator's own host or network rather than to a miner on the internet. A miner
 * registers whatever address it likes, so an axon in one of these would have every validator send signed POSTs to
 * services behind its firewall: cloud metadata at 169.254.169.254, an admin port on 10.x, a daemon on 127.0.0.2.
 */
enum PrivateRange {
    /** 0.0.0.0/8 and {@code ::}: "this host" to the kernel, which may connect it to a local port. */
    UNSPECIFIED,
    /** 127.0.0.0/8 and {@code ::1}. */
    LOOPBACK,
    /** 169.254.0.0/16 (cloud metadata) and fe80::/10. */
    LINK_LOCAL,
    /** RFC 1918: 10/8, 172.16/12, 192.168/16, and the old IPv6 site-local fec0::/10. */
    PRIVATE,
    /** 100.64.0.0/10, carrier-grade NAT (RFC 6598): a provider's internal network. */
    SHARED,
    /** fc00::/7, IPv6 unique local addresses. */
    UNIQUE_LOCAL,
    /** 224.0.0.0/4 and ff00::/8. */
    MULTICAST;

    /** The range {@code address} falls in; empty for an address on the public internet. */
    static Optional<PrivateRange> of(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length == 16 && embedsIpv4(bytes)) {
            return of(ipv4(Arrays.copyOfRange(bytes, 12, 16)));
        }
        int first = bytes[0] & 0xff;
        int second = bytes[1] & 0xff;
        PrivateRange range;
        if (address.isAnyLocalAddress() || (bytes.length == 4 && first == 0)) {
            range = UNSPECIFIED;
        } else if (address.isLoopbackAddress()) {
            range = LOOPBACK;
        } else if (address.isLinkLocalAddress()) {
            range = LINK_LOCAL;
        } else if (address.isSiteLocalAddress()) {
            range = PRIVATE;
        } else if (bytes.length == 4 && first == 100 && (second & 0xc0) == 64) {
            range = SHARED;
        } else if (bytes.length == 16 && (first & 0xfe) == 0xfc) {
            range = UNIQUE_LOCAL;
        } else if (address.isMulticastAddress()) {
            range = MULTICAST;
        } else {
            range = null;
        }
        return Optional.ofNullable(range);
    }

    /** Its name in metrics and logs: {@code link_local}. */
    String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * IPv4-mapped ({@code ::ffff:10.0.0.1}) and IPv4-compatible ({@code ::10.0.0.1}) addresses are an IPv4 address in
     * IPv6 clothing, and a dual-stack socket connects the mapped ones to that IPv4 address. {@code ::} and {@code ::1}
     * are IPv6's own.
     */
    private static boolean embedsIpv4(byte[] bytes) {
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        boolean mapped = (bytes[10] & 0xff) == 0xff && (bytes[11] & 0xff) == 0xff;
        boolean compatible = bytes[10] == 0 && bytes[11] == 0 && !(bytes[12] == 0 && bytes[13] == 0 && bytes[14] == 0
                && (bytes[15] & 0xfe) == 0);
        return mapped || compatible;
    }

    private static Inet4Address ipv4(byte[] octets) {
        try {
            return (Inet4Address) InetAddress.getByAddress(octets);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an IPv4 address", e);
        }
    }
}
