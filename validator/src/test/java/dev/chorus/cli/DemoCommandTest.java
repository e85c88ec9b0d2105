package dev.chorus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DemoCommandTest {

    private final AtomicInteger starts = new AtomicInteger();

    /** Runs {@code chorus demo ARGS} with a network that fails as it starts, after writing into its state folder. */
    private String failingDemo(Path temporaryRoot, String... args) {
        CommandLine chorus = ChorusCommand.commandLine();
        StringWriter err = new StringWriter();
        chorus.setErr(new PrintWriter(err)).setOut(new PrintWriter(new StringWriter()));
        DemoCommand demo = chorus.getSubcommands().get("demo").getCommand();
        demo.temporaryRoot = temporaryRoot;
        demo.starter = (options, progress) -> {
            starts.incrementAndGet();
            Files.writeString(Files.createDirectories(options.stateDir()).resolve("rounds.jsonl"), "{}\n");
            throw new IllegalStateException("Anvil did not start");
        };
        String[] line = new String[args.length + 1];
        line[0] = "demo";
        System.arraycopy(args, 0, line, 1, args.length);
        return chorus.execute(line) + " " + err;
    }

    @Test
    void aFailedRunDeletesTheTemporaryFolderItCreated(@TempDir Path tmp) throws Exception {
        assertThat(failingDemo(tmp)).startsWith("1 ").contains("chorus demo failed: Anvil did not start");
        assertThat(starts).hasValue(1);
        try (var left = Files.list(tmp)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void aFailedRunKeepsTheStateDirTheUserGave(@TempDir Path tmp) {
        Path state = tmp.resolve("mine");
        assertThat(failingDemo(tmp, "--state-dir", state.toString())).startsWith("1 ");
        assertThat(state.resolve("rounds.jsonl")).exists();
    }

    @Test
    void aStateDirHoldingAnEarlierDemoIsRefusedAndLeftAsItIs(@TempDir Path tmp) throws Exception {
        Path state = tmp.resolve("demo");
        Path log = Files.writeString(Files.createDirectories(state.resolve("validator-0")).resolve("rounds.jsonl"), "{}\n");

        assertThat(failingDemo(tmp, "--state-dir", state.toString())).startsWith("2 ")
                .contains("--state-dir " + state + " already holds an earlier demo's state and round logs ("
                        + state.resolve("validator-0") + ")")
                .contains("Give a new folder, or delete " + state + " first");
        assertThat(starts).hasValue(0);
        assertThat(log).hasContent("{}");

        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertThat(failingDemo(tmp, "--state-dir", empty.toString())).startsWith("1 ");
        assertThat(starts).hasValue(1);

        Path notes = Files.createDirectories(tmp.resolve("notes"));
        Files.writeString(notes.resolve("validator-notes.txt"), "mine");
        assertThat(failingDemo(tmp, "--state-dir", notes.toString())).as("a file that only looks like a demo's")
                .startsWith("1 ");
        assertThat(starts).hasValue(2);
    }

    @Test
    void badSettingsAreRefusedBeforeTheNetworkStarts(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("afile"), "");
        assertThat(failingDemo(tmp, "--state-dir", file.toString())).startsWith("2 ")
                .contains("--state-dir " + file + " is a file; give a folder");
        Path underAFile = file.resolve("state");
        assertThat(failingDemo(tmp, "--state-dir", underAFile.toString())).startsWith("2 ")
                .contains("--state-dir " + underAFile + " cannot be made: ").contains("give a folder this user may write")
                .doesNotContain("Exception");
        assertThat(failingDemo(tmp, "--tempo", "70000")).startsWith("2 ")
                .contains("--tempo 70000 must be between 4 and 65535 blocks");
        assertThat(failingDemo(tmp, "--tempos", "0")).startsWith("2 ").contains("--tempos 0 must be at least 1");
        assertThat(starts).hasValue(0);
        try (var left = Files.list(tmp)) {
            assertThat(left).containsExactly(file);
        }
    }
}
