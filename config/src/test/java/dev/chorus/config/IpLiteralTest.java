package dev.chorus.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IpLiteralTest {

    /** Decided from the text: a name that would resolve to loopback is not trusted as one, and nothing is looked up. */
    @ParameterizedTest
    @CsvSource({
            "127.0.0.1, true", "127.8.9.10, true", "localhost, true", "LocalHost, true", "::1, true", "[::1], true",
            "0.0.0.0, false", "10.0.0.5, false", "::, false", "localhost.localdomain, false",
            "127.0.0.1.nip.io, false", "no-such-host.invalid, false", "'', false",
    })
    void aLoopbackHostIsLocalhostOrALoopbackLiteral(String host, boolean loopback) {
        assertThat(IpLiteral.isLoopbackHost(host)).isEqualTo(loopback);
    }

    /** In "::1:80" the port would read as part of the address. */
    @ParameterizedTest
    @CsvSource({
            "::1, 80, [::1]:80", "[::1], 80, [::1]:80", "2001:db8::7, 8091, [2001:db8::7]:8091",
            "127.0.0.1, 8091, 127.0.0.1:8091", "miner.example.com, 443, miner.example.com:443",
    })
    void aHostWithAPortBracketsAnIpv6Literal(String host, int port, String written) {
        assertThat(IpLiteral.withPort(host, port)).isEqualTo(written);
    }
}
