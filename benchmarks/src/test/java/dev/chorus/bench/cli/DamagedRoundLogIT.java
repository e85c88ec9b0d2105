package dev.chorus.bench.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A hand-edited or damaged round log replays on the real model without its damaged lines, and each is named with its
 * file, its line and what is wrong with it: the researcher knows what to mend.
 */
class DamagedRoundLogIT {

    private static final String ANSWERED = "{\"uid\":0,\"hotkey\":\"0xa\",\"answer\":\"Paris is the capital of France.\","
            + "\"failure\":null,\"detail\":null,\"latencyMs\":100,\"trust\":0,\"reward\":0}";
    private static final String TIMED_OUT = "{\"uid\":1,\"hotkey\":\"0xb\",\"answer\":null,\"failure\":\"TIMEOUT\","
            + "\"detail\":\"no answer within 8000 ms\",\"latencyMs\":8000,\"trust\":0,\"reward\":0}";

    private static String round(int number, String... miners) {
        return "{\"round\":" + number + ",\"timestampMs\":0,\"block\":0,\"queryId\":\"q\",\"prompt\":\"What is the capital"
                + " of France?\",\"reference\":null,\"organic\":false,\"miners\":[" + String.join(",", miners) + "]}\n";
    }

    @Test
    void damagedLinesAreSkippedEachNamedWithItsFileLineAndProblem(@TempDir Path dir) throws Exception {
        Path state = Files.createDirectories(dir.resolve("state"));
        Files.writeString(state.resolve("rounds.jsonl.1"), round(1, ANSWERED, TIMED_OUT)
                + round(2, ANSWERED, ANSWERED.replace("0xa", "0xc"), TIMED_OUT));
        Files.writeString(state.resolve("rounds.jsonl"), round(3, ANSWERED, TIMED_OUT)
                + round(4, ANSWERED, TIMED_OUT.replace("\"latencyMs\":8000", "\"latencyMs\":9223372036854775807"))
                + round(5, ANSWERED, TIMED_OUT.replace("\"TIMEOUT\"", "null"))
                + round(6, ANSWERED, TIMED_OUT).substring(0, 80));

        BenchCommandIT.Run run = BenchCommandIT.execute("replay", "--rounds", state.toString(), "--json");

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(new ObjectMapper().readTree(run.out()).get("rewardsCompared").asLong()).as("rounds 1 and 3, two miners each")
                .isEqualTo(4);
        assertThat(run.err()).contains("chorus-bench: " + state + ": skipped 4 damaged lines\n"
                + "  " + state.resolve("rounds.jsonl.1") + " line 2: uid 0 is in the round twice, miners[0] and miners[1]:"
                + " a validator asks each miner once\n"
                + "  " + state.resolve("rounds.jsonl") + " line 2: miners[1].latencyMs 9223372036854775807 is not a latency"
                + " (0 to 9223372036854 ms)\n"
                + "  " + state.resolve("rounds.jsonl") + " line 3: miners[1] (uid 1) has no answer and no failure; the failure"
                + " is one of [")
                .contains("  " + state.resolve("rounds.jsonl") + " line 4: cut short: the file ends inside it, as when the"
                        + " validator was stopped mid-write")
                .contains("mend what is named to replay that round too, or delete the line");
    }
}
