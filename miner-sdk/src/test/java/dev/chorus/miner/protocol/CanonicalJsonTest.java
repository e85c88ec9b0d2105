package dev.chorus.miner.protocol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CanonicalJsonTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "not json at all|Unrecognized token",
            "{\"version\":1,\"netuid\":7,\"task\":\"qa\",\"prompt\":\"p\",\"deadline\":5}|queryId",
            "{\"version\":1,\"queryId\":\"q\",\"netuid\":70000,\"task\":\"qa\",\"prompt\":\"p\",\"deadline\":5}|netuid must be 0..65535",
            "{\"version\":1,\"queryId\":\"q\",\"netuid\":7,\"task\":\"Q A\",\"prompt\":\"p\",\"deadline\":5}|task must be",
            "{\"version\":1,\"queryId\":\"q\",\"netuid\":7,\"task\":\"qa\",\"prompt\":\"p\"}|deadline",
            "{\"version\":1,\"queryId\":\"q\",\"netuid\":7,\"task\":\"qa\",\"prompt\":5,\"deadline\":5}|field 'prompt' must be a string",
            "{\"version\":\"1\",\"queryId\":\"q\",\"netuid\":7,\"task\":\"qa\",\"prompt\":\"p\",\"deadline\":5}|field 'version' must be a whole number",
            "{\"version\":1,\"queryId\":\"q\",\"netuid\":7.5,\"task\":\"qa\",\"prompt\":\"p\",\"deadline\":5}|field 'netuid' must be a whole number",
            "{\"version\":1,\"version\":2,\"queryId\":\"q\",\"netuid\":7,\"task\":\"qa\",\"prompt\":\"p\",\"deadline\":5}|Duplicate field 'version'",
            "{\"version\":1,\"queryId\":\"q\",\"netuid\":7,\"task\":\"qa\",\"prompt\":\"p\",\"deadline\":5}{}|goes on after its JSON object",
            "{\"version\":1,\"queryId\":\"q\",\"netuid\":7,\"task\":\"qa\",\"prompt\":\"p\",\"deadline\":5} x|not one well-formed JSON object",
            "' \n '|the body is JSON null or empty",
            "null|the body is JSON null or empty",
    })
    void badRequestBodiesSayWhatIsWrong(String json, String expected) {
        assertThatThrownBy(() -> CanonicalJson.read(json.getBytes(StandardCharsets.UTF_8), QueryRequest.class))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining(expected);
    }

    /** Timings are informative: a miner outside the SDK that reports fractions keeps its answer. */
    @Test
    void fractionalTimingsInAnAnswerAreReadAsWholeMilliseconds() {
        QueryResponse response = CanonicalJson.read(("{\"queryId\":\"q\",\"answer\":\"x\","
                + "\"timings\":{\"queuedMs\":0.4,\"computeMs\":41.7}}").getBytes(StandardCharsets.UTF_8), QueryResponse.class);
        assertThat(response.timings()).isEqualTo(new QueryResponse.Timings(0, 42));
        assertThat(new String(CanonicalJson.write(response), StandardCharsets.UTF_8))
                .isEqualTo("{\"queryId\":\"q\",\"answer\":\"x\",\"timings\":{\"queuedMs\":0,\"computeMs\":42}}");
    }

    /** Nor does one that reports only one of the two. */
    @Test
    void partialTimingsInAnAnswerReadTheMissingOneAsZero() {
        QueryResponse response = CanonicalJson.read(("{\"queryId\":\"q\",\"answer\":\"x\","
                + "\"timings\":{\"queuedMs\":3}}").getBytes(StandardCharsets.UTF_8), QueryResponse.class);
        assertThat(response.timings()).isEqualTo(new QueryResponse.Timings(3, 0));
    }

    @Test
    void anEmptyBodySaysSo() {
        assertThatThrownBy(() -> CanonicalJson.read(new byte[0], QueryRequest.class))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessage("the body is JSON null or empty; send a JSON object");
    }

    /** Jackson would guess these encodings, and another reader of the same signed bytes could read another message. */
    @Test
    void aBodyThatIsNotUtf8IsRefusedRatherThanGuessedAt() {
        String query = "{\"version\":1,\"queryId\":\"q\",\"netuid\":7,\"task\":\"qa\",\"prompt\":\"a/b\",\"deadline\":5}";
        assertThat(CanonicalJson.read(query.getBytes(StandardCharsets.UTF_8), QueryRequest.class).prompt()).isEqualTo("a/b");

        byte[] utf16 = query.getBytes(StandardCharsets.UTF_16LE);
        byte[] overlongSlash = query.replace("a/b", "a\u0001b").getBytes(StandardCharsets.UTF_8);
        int slash = new String(overlongSlash, StandardCharsets.UTF_8).indexOf('\u0001');
        byte[] overlong = new byte[overlongSlash.length + 1];
        System.arraycopy(overlongSlash, 0, overlong, 0, slash);
        overlong[slash] = (byte) 0xC0;
        overlong[slash + 1] = (byte) 0xAF;
        System.arraycopy(overlongSlash, slash + 1, overlong, slash + 2, overlongSlash.length - slash - 1);
        byte[] encodedSurrogate = query.replace("a/b", "a\u0001\u0001\u0001b").getBytes(StandardCharsets.UTF_8);
        encodedSurrogate[slash] = (byte) 0xED;
        encodedSurrogate[slash + 1] = (byte) 0xA0;
        encodedSurrogate[slash + 2] = (byte) 0x80;

        assertThatThrownBy(() -> CanonicalJson.read(utf16, QueryRequest.class)).as("UTF-16: valid UTF-8, full of NULs")
                .isInstanceOf(MalformedMessageException.class);
        for (byte[] body : new byte[][]{overlong, encodedSurrogate}) {
            assertThatThrownBy(() -> CanonicalJson.read(body, QueryRequest.class))
                    .isInstanceOf(MalformedMessageException.class)
                    .hasMessageContaining("not UTF-8");
        }
    }
}
