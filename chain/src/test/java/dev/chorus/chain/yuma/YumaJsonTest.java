package dev.chorus.chain.yuma;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code chorus yuma} JSON schema: golden files both ways, u64 range, and errors that name the field. */
class YumaJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static String resource(String name) throws IOException {
        try (InputStream in = YumaJsonTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        }
    }

    @Test
    void issueExampleProducesTheGoldenOutput() throws IOException {
        YumaInput in = YumaJson.readInput(resource("example-input.json"));
        YumaOutput out = YumaEpoch.run(in);
        String golden = resource("example-output.json");
        assertThat(YumaJson.writeOutput(out)).isEqualTo(golden);
        assertThat(YumaJson.readOutput(golden)).isEqualTo(out);
        // one validator holding all stake: consensus is its own weight row, miners split half the emission 2:1
        assertThat(out.consensus()).containsExactly(0, 43689, 21845, 0);
        assertThat(out.validatorEmission()).containsExactly(500_000_000L, 0, 0, 0);
    }

    @Test
    void inputRoundTripsThroughTheSchema() throws IOException {
        String golden = resource("example-input.json");
        YumaInput in = YumaJson.readInput(golden);
        assertThat(JSON.readTree(YumaJson.writeInput(in))).isEqualTo(JSON.readTree(golden));
        assertThat(YumaJson.readInput(YumaJson.writeInput(in))).isEqualTo(in);
    }

    @Test
    void u64FieldsUseTheFullUnsignedRange() {
        YumaInput in = new YumaInput(1, -1L, 1, -2L, 0, -1L, 0, 0, 0, 1, 0, OptionalInt.of(0), true, true, 0, 0,
                -32768, new long[] {Long.MAX_VALUE}, new boolean[] {true}, new long[] {-1L}, new long[] {0},
                List.of(SparseRow.EMPTY), List.of(new SparseRow(new int[] {0}, new int[] {65535})));
        String text = YumaJson.writeInput(in);
        assertThat(text).contains("\"block\":18446744073709551615", "\"activity_cutoff\":18446744073709551614");
        assertThat(YumaJson.readInput(text)).isEqualTo(in);
        YumaOutput out = YumaEpoch.run(in);
        assertThat(YumaJson.readOutput(YumaJson.writeOutput(out))).isEqualTo(out);
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', value = {
        "n|-1|n: expected a u16",
        "kappa|65536|kappa: expected a u16",
        "block|18446744073709551616|block: expected a u64",
        "rao_emission|1.5|rao_emission: expected a u64",
        "tempo|\"360\"|tempo: expected a u16",
        "yuma3|1|yuma3: expected true or false",
        "owner_uid|70000|owner_uid: expected a u16",
        "alpha_sigmoid_steepness|40000|alpha_sigmoid_steepness: expected an i16",
        "stake|[100, 0, 0]|stake: expected one entry per uid (n = 4), got 3",
        "stake|[100, 0, 0, 9223372036854775808]|stake[3]: must be at most 2^63-1",
        "stake|[9223372036854775807, 1, 0, 0]|stake: the total over all uids must stay below 2^63",
        "validator_permit|[true, false, false, 0]|validator_permit[3]: expected true or false",
        "last_update|{}|last_update: expected an array",
        "weights|[[[1, 65535], [2]], [], [], []]|weights[0][1]: expected a [uid, value] pair",
        "weights|[[[1, 65536]], [], [], []]|weights[0][0][1]: expected a u16",
        "bonds|[[], 5, [], []]|bonds[1]: expected an array of [uid, value] pairs",
        "commit_block|[1, 2]|commit_block: expected one entry per uid (n = 4), got 2",
        "weights|[[[1, 65535], [9, 1]], [], [], []]|weights[0][1][0]: uid 9 does not exist (n = 4, so uids are 0..3)",
        "weights|[[[1, 65535], [1, 3]], [], [], []]|weights[0][1][0]: uid 1 appears twice in weights[0]",
        "bonds|[[], [[4, 1]], [], []]|bonds[1][0][0]: uid 4 does not exist",
        "owner_uid|7|owner_uid: uid 7 does not exist (n = 4)",
        "last_mechanism_step_block|1001|last_mechanism_step_block: 1001 is after the epoch's block 1000",
        "last_update|[1001, 0, 0, 0]|last_update[0]: 1001 is after the epoch's block 1000",
        "block_at_registration|[0, 0, 0, 18446744073709551615]|block_at_registration[3]: 18446744073709551615 is after",
        "commit_block|[1001, 18446744073709551615, 0, 0]|commit_block[0]: 1001 is after the epoch's block 1000",
    })
    void badFieldsAreNamed(String field, String value, String message) throws IOException {
        ObjectNode root = (ObjectNode) JSON.readTree(resource("example-input.json"));
        root.set(field, JSON.readTree(value));
        assertThatThrownBy(() -> YumaJson.readInput(root.toString()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(message);
    }

    @Test
    void missingAndUnknownFieldsAreNamed() throws IOException {
        ObjectNode missing = (ObjectNode) JSON.readTree(resource("example-input.json"));
        missing.remove("bonds_penalty");
        assertThatThrownBy(() -> YumaJson.readInput(missing.toString())).hasMessageStartingWith("bonds_penalty: missing");
        missing.remove("kappa");
        assertThatThrownBy(() -> YumaJson.readInput(missing.toString()))
                .as("the missing fields are named in one line, not a line each with the whole list")
                .hasMessageStartingWith("kappa, bonds_penalty: missing; the input needs every field of [n, ")
                .satisfies(e -> assertThat(e.getMessage().lines()).hasSize(1));
        ObjectNode unknown = (ObjectNode) JSON.readTree(resource("example-input.json"));
        unknown.put("kapa", 1);
        assertThatThrownBy(() -> YumaJson.readInput(unknown.toString())).hasMessageStartingWith("kapa: unknown field");
    }

    @Test
    void everyProblemOfAFileIsNamedInOneMessage() throws IOException {
        ObjectNode root = (ObjectNode) JSON.readTree(resource("example-input.json"));
        root.remove("bonds_penalty");
        root.put("kapa", 1);
        root.put("tempo", -5);
        root.set("stake", JSON.readTree("[1, 2]"));
        assertThatThrownBy(() -> YumaJson.readInput(root.toString()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("4 problems:")
                .hasMessageContainingAll("bonds_penalty: missing", "kapa: unknown field", "tempo: expected a u16",
                        "stake: expected one entry per uid (n = 4), got 2")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("bonds_penalty: expected"));
    }

    @Test
    void storedStateProblemsAreNamedWithShapeProblems() throws IOException {
        ObjectNode root = (ObjectNode) JSON.readTree(resource("example-input.json"));
        root.remove("kappa");
        root.set("stake", JSON.readTree("[1]"));
        root.set("weights", JSON.readTree("[[[0, 65535], [4, 1]], [], [[1, 5], [1, 6]], []]"));
        ((ArrayNode) root.get("last_update")).set(1, root.get("block").asLong() + 1);
        assertThatThrownBy(() -> YumaJson.readInput(root.toString()))
                .hasMessageStartingWith("5 problems:")
                .hasMessageContainingAll("kappa: missing", "stake: expected one entry per uid (n = 4), got 1",
                        "last_update[1]: ", "weights[0][1][0]: uid 4 does not exist",
                        "weights[2][1][0]: uid 1 appears twice");
    }

    @Test
    void valuesAreNotComparedWithABlockThatCouldNotBeRead() throws IOException {
        ObjectNode root = (ObjectNode) JSON.readTree(resource("example-input.json"));
        root.put("block", "soon");
        assertThatThrownBy(() -> YumaJson.readInput(root.toString()))
                .hasMessage("block: expected a u64 (an integer), got \"soon\"");
    }

    @Test
    void aBadUidCountIsTheOnlyProblemNamedAboutTheArrays() throws IOException {
        ObjectNode root = (ObjectNode) JSON.readTree(resource("example-input.json"));
        root.put("n", "four");
        assertThatThrownBy(() -> YumaJson.readInput(root.toString())).hasMessage("n: expected a u16 (an integer), got \"four\"");
    }

    @Test
    void pendingCommitsAreOptionalAndRoundTrip() throws IOException {
        YumaInput plain = YumaJson.readInput(resource("example-input.json"));
        assertThat(plain.commitBlock()).containsOnly(YumaInput.NO_COMMIT);
        assertThat(YumaJson.writeInput(plain)).doesNotContain("commit_block");

        ObjectNode root = (ObjectNode) JSON.readTree(resource("example-input.json"));
        root.set("commit_block", JSON.readTree("[18446744073709551615, 7, 0, 18446744073709551615]"));
        YumaInput committed = YumaJson.readInput(root.toString());
        assertThat(committed.commitBlock()).containsExactly(YumaInput.NO_COMMIT, 7L, 0L, YumaInput.NO_COMMIT);
        assertThat(JSON.readTree(YumaJson.writeInput(committed))).isEqualTo(root);
        assertThat(committed).isNotEqualTo(plain);
    }

    @Test
    void syntaxErrorsSayWhere() {
        assertThatThrownBy(() -> YumaJson.readInput("{\"n\": 4,,}"))
                .hasMessageStartingWith("input: not valid JSON at line 1, column");
        assertThatThrownBy(() -> YumaJson.readInput("")).hasMessageStartingWith("input: empty");
        assertThatThrownBy(() -> YumaJson.readInput("{\"n\": 4}\n{\"n\": 5}"))
                .hasMessage("input: more after the epoch's JSON object, at line 2, column 1; give one object per run");
        assertThatThrownBy(() -> YumaJson.readInput("[1, 2]")).hasMessageStartingWith("input: expected a JSON object");
    }
}
