package dev.chorus.bench.scoring;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ComparedEngineTest {

    @Test
    void namesRoundTripAndAnUnknownNameListsTheKnownOnes() {
        for (ComparedEngine engine : ComparedEngine.values()) {
            assertThat(ComparedEngine.byId(engine.id())).isSameAs(engine);
        }
        assertThat(ComparedEngine.CHORUS_FP32_CUT128.id()).isEqualTo("chorus-fp32-cut128");
        assertThatThrownBy(() -> ComparedEngine.byId("langchain4j"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Unknown engine 'langchain4j'")
                .hasMessageContaining("langchain4j-fp32");
    }

    @Test
    void onlyOurUncutEnginesReadPastTheFirst126Tokens() {
        int[] tokens = {10, 126, 127, 300};
        assertThat(ComparedEngine.CHORUS_FP32.tokensRead(tokens)).isEqualTo(563);
        assertThat(ComparedEngine.CHORUS_INT8.tokensRead(tokens)).isEqualTo(563);
        assertThat(ComparedEngine.CHORUS_FP32_CUT128.tokensRead(tokens)).isEqualTo(10 + 126 * 3);
        assertThat(ComparedEngine.LANGCHAIN4J_FP32.tokensRead(tokens)).isEqualTo(10 + 126 * 3);
        assertThat(ComparedEngine.LANGCHAIN4J_INT8.tokensRead(tokens)).isEqualTo(10 + 126 * 3);
    }
}
