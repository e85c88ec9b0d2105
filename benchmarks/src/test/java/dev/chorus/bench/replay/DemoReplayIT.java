package dev.chorus.bench.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chorus.bench.cli.BenchCommand;
import dev.chorus.validator.demo.DemoNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A round log written by {@code chorus demo} replays, with the demo validator's settings, to its rewards exactly. */
class DemoReplayIT {

    @Test
    void replayOfADemoLogReproducesTheLiveRewards(@TempDir Path dir) throws Exception {
        DemoNetwork.Options defaults = DemoNetwork.Options.defaults(dir);
        DemoNetwork.Options options = new DemoNetwork.Options(defaults.tempo(), 1, defaults.validators(), defaults.blockMillis(),
                defaults.roundPeriod(), dir);
        try (DemoNetwork network = DemoNetwork.run(options, new PrintStream(OutputStream.nullOutputStream()))) {
            assertThat(network.report().epochs()).isEqualTo(1);
        }
        Path validator = dir.resolve("validator-0");
        CommandLine cli = BenchCommand.commandLine();
        StringWriter out = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        int exit = cli.execute("replay", "--rounds", validator.resolve("rounds.jsonl").toString(),
                "--config", validator.resolve(DemoNetwork.SETTINGS_FILE).toString(), "--trust", "logged", "--json");
        assertThat(exit).isZero();
        JsonNode summary = new ObjectMapper().readTree(out.toString());
        JsonNode compared = summary.findValue("rewardsCompared");
        assertThat(compared).as("reward check in %s", summary).isNotNull();
        assertThat(compared.asInt()).isPositive();
        assertThat(summary.findValue("rewardsEqualToLog").asInt()).isEqualTo(compared.asInt());
        // The demo's truth.json sits one folder up from the log, where the replay looks for it.
        assertThat(summary.at("/evaluation/emissionShareByClass").fieldNames()).toIterable()
                .contains("honest", "copycat", "colluder", "lazy", "noisy").doesNotContain("unknown");
        assertThat(summary.at("/evaluation/emissionShareByClass/honest").asDouble()).isGreaterThan(0.5);
        assertThat(summary.at("/evaluation/spearman").isNumber()).as("Spearman in %s", summary.get("evaluation")).isTrue();
    }
}
