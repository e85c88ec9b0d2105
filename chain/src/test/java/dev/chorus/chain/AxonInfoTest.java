package dev.chorus.chain;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AxonInfoTest {

    @Test
    void encodesIpv4AndIpv6LiteralsAndReadsThemBack() {
        assertThat(AxonInfo.encodeIp("10.0.0.1")).isEqualTo(BigInteger.valueOf(0x0A000001L));
        assertThat(AxonInfo.ipTypeOf("10.0.0.1")).isEqualTo(4);
        assertThat(AxonInfo.encodeIp("::1")).isEqualTo(BigInteger.ONE);
        assertThat(AxonInfo.ipTypeOf("2001:db8::7")).isEqualTo(6);

        AxonInfo served = new AxonInfo(5, 1, AxonInfo.encodeIp("192.168.1.20"), 8091, 4, 4);
        assertThat(served.baseUrl()).isEqualTo("http://192.168.1.20:8091");
    }

    @Test
    void anIpv6EndpointIsBracketedSoItsPortCannotBeReadAsPartOfTheAddress() {
        AxonInfo v6 = new AxonInfo(5, 1, AxonInfo.encodeIp("2001:db8::7"), 8091, 6, 4);
        assertThat(v6.endpoint()).isEqualTo("[2001:db8:0:0:0:0:0:7]:8091");
        assertThat(v6.baseUrl()).isEqualTo("http://[2001:db8:0:0:0:0:0:7]:8091");
        assertThat(new AxonInfo(5, 1, AxonInfo.encodeIp("10.0.0.2"), 9001, 4, 4).endpoint()).isEqualTo("10.0.0.2:9001");
        assertThat(AxonInfo.NONE.endpoint()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "miner.example.com", "999.1.1.1", "1.2.3", "", "::g"})
    void refusesAnythingButAnIpLiteralWithoutResolvingIt(String host) {
        assertThatThrownBy(() -> AxonInfo.encodeIp(host)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an IP address: '" + host + "'").hasMessageContaining("host names are not resolved");
    }
}
