package dev.chorus.validator;

import dev.chorus.config.IpLiteral;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.Inet6Address;
import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;

class PrivateRangeTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
            "0.0.0.0, unspecified", "0.0.0.1, unspecified", "::, unspecified",
            "127.0.0.1, loopback", "127.0.0.2, loopback", "127.255.255.254, loopback", "::1, loopback",
            "169.254.169.254, link_local", "fe80::1, link_local",
            "10.0.0.1, private", "10.255.255.255, private", "172.16.0.1, private", "172.31.255.254, private",
            "192.168.1.20, private", "fec0::1, private",
            "100.64.0.1, shared", "100.127.255.254, shared",
            "fc00::1, unique_local", "fd12:3456:789a::1, unique_local",
            "224.0.0.1, multicast", "239.255.255.250, multicast", "ff02::1, multicast",
            "::ffff:10.0.0.1, private", "::ffff:127.0.0.1, loopback", "::ffff:169.254.169.254, link_local",
            "::10.0.0.1, private",
            "64:ff9b::10.0.0.1, private", "64:ff9b::a9fe:a9fe, link_local", "2002:7f00:1::1, loopback",
            "2002:c0a8:101::, private",
            "192.0.0.8, reserved", "198.18.0.1, reserved", "198.19.255.254, reserved", "240.0.0.1, reserved",
            "255.255.255.255, reserved",
    })
    void internalAddressesAreNamedByTheirRange(String address, String range) {
        assertThat(PrivateRange.of(literal(address)).map(PrivateRange::label)).contains(range);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.1.1.1", "8.8.8.8", "100.63.255.255", "100.128.0.1", "172.15.255.255", "172.32.0.1",
            "192.167.1.1", "169.253.1.1", "2001:db8::7", "2606:4700::1111", "::ffff:8.8.8.8", "fbff::1",
            "192.0.1.1", "198.17.255.255", "198.20.0.1", "223.255.255.254", "64:ff9b::8.8.8.8",
            "2002:808:808::1", "64:ff9a::10.0.0.1"})
    void addressesOutsideTheRangesAreNone(String address) {
        assertThat(PrivateRange.of(literal(address))).isEmpty();
    }

    /** Java turns ::ffff:a.b.c.d into an IPv4 address as it parses; a socket API may hand over the IPv6 form itself. */
    @ParameterizedTest
    @CsvSource({"10.0.0.1, private", "127.0.0.1, loopback", "169.254.169.254, link_local"})
    void ipv4MappedAddressesKeptAsIpv6AreTheirIpv4Range(String ipv4, String range) throws Exception {
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(InetAddress.getByName(ipv4).getAddress(), 0, mapped, 12, 4);
        InetAddress v6 = Inet6Address.getByAddress(null, mapped, -1);
        assertThat(v6.getAddress()).hasSize(16);
        assertThat(PrivateRange.of(v6).map(PrivateRange::label)).contains(range);
    }

    private static InetAddress literal(String address) {
        return IpLiteral.parse(address).orElseThrow();
    }
}
