package dev.chorus.miner.protocol;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CanonicalJsonTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "not json at all|Unrecognized token",
            "{\"version\":1,\"netuid\":7,\"task\":\"qa\",\"prompt\":\"p\",\"deadline\":5}|queryId",
            "{\"version\":1,\"queryId\":\"q\",\"netuid\":70000,\"task\":\"qa\",\"prompt\":\"p\",\"deadline\":5}|netuid must be 0..65535",
            "{\"version\":1,\"queryId\":\"q\",\"netuid\":7,\"task\":\"Q A\",\"prompt\":\"p\",\"deadline\":5}|task must be",
            "{\"version\":1,\"queryId\":\"q\",\"netuid\":7,\"task\":\"qa\",\"prompt\":\"p\"}|deadline",
    })
    void badRequestBodiesSayWhatIsWrong(String json, String expected) {
        assertThatThrownBy(() -> CanonicalJson.read(json.getBytes(StandardCharsets.UTF_8), QueryRequest.class))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining(expected);
    }
}
