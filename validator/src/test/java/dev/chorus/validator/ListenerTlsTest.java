package dev.chorus.validator;

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
}
