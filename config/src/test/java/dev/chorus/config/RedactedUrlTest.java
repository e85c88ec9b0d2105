package dev.chorus.config;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class RedactedUrlTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "http://127.0.0.1:8545|http://127.0.0.1:8545",
            "http://127.0.0.1:8545/|http://127.0.0.1:8545",
            "https://mainnet.infura.io/v3/SECRETKEY|https://mainnet.infura.io/...",
            "https://eth.example.org:8443/rpc?apikey=SECRETKEY|https://eth.example.org:8443/...",
            "https://alice:SECRETKEY@rpc.example.org|https://rpc.example.org/...",
            "http://[::1]:8545/SECRETKEY|http://[::1]:8545/...",
            "https://rpc.example.org/#SECRETKEY|https://rpc.example.org/...",
            "ws://x|ws://x",
            "localhost:8545|localhost:8545",
            "localhost:8545/SECRETKEY|localhost:8545/...",
            "alice:SECRETKEY@localhost:8545|localhost:8545/...",
            "http://bad host/SECRETKEY?key=SECRETKEY|http://bad host/...",
            "''|''",
    })
    void showsSchemeHostAndPortOnly(String url, String shown) {
        assertThat(RedactedUrl.of(url)).isEqualTo(shown).doesNotContain("SECRETKEY");
    }
}
