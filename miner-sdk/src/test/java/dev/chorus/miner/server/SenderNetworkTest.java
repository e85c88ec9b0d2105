package dev.chorus.miner.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SenderNetworkTest {

    @Test
    void anIpv4AddressIsItsOwnSender() {
        assertThat(SenderNetwork.of("203.0.113.7")).isEqualTo("203.0.113.7");
        assertThat(SenderNetwork.of("203.0.113.8")).isNotEqualTo(SenderNetwork.of("203.0.113.7"));
    }

    @Test
    void ipv6AddressesCountByTheir64BitPrefix() {
        String one = SenderNetwork.of("2001:db8:1:2::5");
        assertThat(SenderNetwork.of("2001:db8:1:2:ffff:ffff:ffff:9")).isEqualTo(one);
        assertThat(SenderNetwork.of("2001:0db8:0001:0002:0:0:0:77")).as("written out in full").isEqualTo(one);
        assertThat(SenderNetwork.of("2001:db8:1:3::5")).as("the next /64").isNotEqualTo(one);
        assertThat(one).isEqualTo("20010db800010002::/64");
    }

    @Test
    void anIpv4MappedAddressCountsAsTheIpv4Address() {
        assertThat(SenderNetwork.of("::ffff:203.0.113.7")).isEqualTo("203.0.113.7");
    }

    @Test
    void somethingNotAnAddressIsKeptAsItIs() {
        assertThat(SenderNetwork.of("not:an:address")).isEqualTo("not:an:address");
        assertThat(SenderNetwork.of(null)).isEqualTo("null");
    }
}
