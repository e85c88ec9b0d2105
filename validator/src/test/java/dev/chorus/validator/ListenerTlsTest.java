package dev.chorus.validator;

import dev.chorus.validator.hardening.LogSecretScan;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ListenerTlsTest {

    private static final ListenerTls PLAIN = new ListenerTls("admin.", "", "");
    private static final ListenerTls TLS = new ListenerTls("organic.", "/etc/chorus/cert.pem", "/etc/chorus/key.pem");

    @Test
    void theUrlSaysHttpsWhenTheListenerServesTls() {
        assertThat(PLAIN.url("127.0.0.1", 9100)).isEqualTo("http://127.0.0.1:9100");
        assertThat(TLS.url("127.0.0.1", 8443)).isEqualTo("https://127.0.0.1:8443");
    }

    @Test
    void theUrlNamesTheBoundHostAndLoopbackInPlaceOfAWildcard() {
        assertThat(PLAIN.url("10.0.0.5", 9100)).isEqualTo("http://10.0.0.5:9100");
        assertThat(PLAIN.url("validator.lan", 9100)).isEqualTo("http://validator.lan:9100");
        assertThat(PLAIN.url("0.0.0.0", 9100)).isEqualTo("http://127.0.0.1:9100");
        assertThat(TLS.url("::", 8443)).isEqualTo("https://127.0.0.1:8443");
        assertThat(TLS.url("[::]", 8443)).isEqualTo("https://127.0.0.1:8443");
    }

    @Test
    void theUrlPutsAnIpv6HostInBrackets() {
        assertThat(PLAIN.url("::1", 9100)).isEqualTo("http://[::1]:9100");
        assertThat(PLAIN.url("[fd00::5]", 9100)).isEqualTo("http://[fd00::5]:9100");
    }

    @Test
    void plainHttpOffLoopbackIsWarnedOfNamingTheSettingsThatFixIt() {
        try (LogSecretScan log = LogSecretScan.start()) {
            new ListenerTls("organic.", "", "").warnIfPlainOffLoopback("0.0.0.0", "API keys and prompts");
            assertThat(log.text()).contains("organic.host 0.0.0.0 is not loopback and organic.tls_cert_file is empty:"
                    + " the API keys and prompts its requests carry cross the network in plain http")
                    .contains("Set organic.tls_cert_file and organic.tls_key_file, or bind organic.host to 127.0.0.1");
        }
    }

    @Test
    void loopbackOrTlsIsNotWarnedOf() {
        try (LogSecretScan log = LogSecretScan.start()) {
            PLAIN.warnIfPlainOffLoopback("127.0.0.1", "admin token");
            PLAIN.warnIfPlainOffLoopback("::1", "admin token");
            PLAIN.warnIfPlainOffLoopback("localhost", "admin token");
            TLS.warnIfPlainOffLoopback("0.0.0.0", "API keys and prompts");
            TLS.warnIfPlainOffLoopback("10.0.0.5", "API keys and prompts");
            assertThat(log.text()).isEmpty();
        }
    }
}
