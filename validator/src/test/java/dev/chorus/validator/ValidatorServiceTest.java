package dev.chorus.validator;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class ValidatorServiceTest {

    /** Private axons allowed with a chain on another host draws a warning at start; on this host it does not. */
    @ParameterizedTest
    @CsvSource({
            "http://127.0.0.1:8545, true", "http://localhost:8545, true", "http://[::1]:8545, true",
            "http://127.0.0.2:8545/, true",
            "http://10.0.0.5:8545, false", "https://mainnet.infura.io/v3/KEY, false",
            "http://127.0.0.1.nip.io:8545, false", "not a url, false",
    })
    void aChainNodeIsOnThisHostOnlyAtALoopbackAddress(String rpcUrl, boolean local) {
        assertThat(ValidatorService.onThisHost(rpcUrl)).isEqualTo(local);
    }
}
