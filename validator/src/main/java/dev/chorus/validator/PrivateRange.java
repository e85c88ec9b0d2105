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
    MULTICAST,
    /** 192.0.0.0/24 (protocol assignments), 198.18.0.0/15 (benchmarking), 240.0.0.0/4 (reserved, broadcast). */
    RESERVED;

    /** The range {@code address} falls in; empty for an address on the public internet. */
    static Optional<PrivateRange> of(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length == 16) {
            int at = embeddedIpv4(bytes);
            if (at >= 0) {
                return of(ipv4(Arrays.copyOfRange(bytes, at, at + 4)));
            }
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
        } else if (bytes.length == 4 && ((first == 192 && second == 0 && bytes[2] == 0)
                || (first == 198 && (second & 0xfe) == 18) || first >= 240)) {
            range = RESERVED;
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
     * Where an IPv6 address carries an IPv4 address that it leads to, -1 where it does not. IPv4-mapped
     * ({@code ::ffff:10.0.0.1}) and IPv4-compatible ({@code ::10.0.0.1}) addresses are an IPv4 address in IPv6
     * clothing, and a dual-stack socket connects the mapped ones to it; a NAT64 gateway ({@code 64:ff9b::/96}) and a
     * 6to4 relay ({@code 2002::/16}) forward to the IPv4 address inside. {@code ::} and {@code ::1} are IPv6's own.
     */
    private static int embeddedIpv4(byte[] bytes) {
        if ((bytes[0] & 0xff) == 0x20 && bytes[1] == 0x02) {
            return 2;
        }
        boolean nat64 = bytes[0] == 0 && bytes[1] == 0x64 && (bytes[2] & 0xff) == 0xff && (bytes[3] & 0xff) == 0x9b;
        for (int i = nat64 ? 4 : 0; i < (nat64 ? 12 : 10); i++) {
            if (bytes[i] != 0) {
                return -1;
            }
        }
        if (nat64) {
            return 12;
        }
        boolean mapped = (bytes[10] & 0xff) == 0xff && (bytes[11] & 0xff) == 0xff;
        boolean compatible = bytes[10] == 0 && bytes[11] == 0 && !(bytes[12] == 0 && bytes[13] == 0 && bytes[14] == 0
                && (bytes[15] & 0xfe) == 0);
        return mapped || compatible ? 12 : -1;
    }

    private static Inet4Address ipv4(byte[] octets) {
        try {
            return (Inet4Address) InetAddress.getByAddress(octets);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an IPv4 address", e);
        }
    }
}
