package dev.chorus.bench.cli;

import dev.chorus.validator.state.RoundLog;
import dev.chorus.validator.state.RoundRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Bad input is refused with exit code 2 and a sentence saying what to give instead, before any model loads. */
class BenchCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return BenchCommand.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
    }

    @Test
    void versionIsPrintedByTheTopCommandAndEverySubcommand() {
        for (String[] args : List.of(new String[]{"--version"}, new String[]{"-V"}, new String[]{"replay", "-V"},
                new String[]{"load", "--version"})) {
            out.getBuffer().setLength(0);
            assertThat(run(args)).isZero();
            // Outside the shaded jar there is no manifest version.
            assertThat(out.toString()).startsWith("chorus-bench development build\njava ");
        }
    }

    @Test
    void missingRoundLogIsAUsageError(@TempDir Path dir) {
        assertThat(run("replay", "--rounds", dir.resolve("nope.jsonl").toString())).isEqualTo(BenchCommand.EXIT_USAGE);
        assertThat(err.toString()).contains("does not exist").contains("rounds.jsonl");
    }

    @Test
    void aFolderAboveTheStateFoldersNamesThem(@TempDir Path dir) throws Exception {
        for (String validator : List.of("validator-1", "validator-0")) {
            Files.writeString(Files.createDirectories(dir.resolve(validator)).resolve("rounds.jsonl"), "");
        }
        Files.createDirectories(dir.resolve("miners"));
        assertThat(run("replay", "--rounds", dir.toString())).isEqualTo(BenchCommand.EXIT_USAGE);
        assertThat(err.toString()).contains("holds no rounds.jsonl; the state folders in it do: give --rounds "
                + dir.resolve("validator-0") + ", or one --rounds per validator (--rounds " + dir.resolve("validator-0")
                + " --rounds " + dir.resolve("validator-1") + ")").doesNotContain("miners");
    }

    @Test
    void unknownScorerNamesTheKnownOnes(@TempDir Path dir) throws Exception {
        Path log = Files.writeString(dir.resolve("rounds.jsonl"), "");
        assertThat(run("compare", "--rounds", log.toString(), "--scorers", "consensus,median")).isEqualTo(BenchCommand.EXIT_USAGE);
        assertThat(err.toString()).contains("Unknown scorer 'median'").contains("mean-cosine");
    }

    @Test
    void emptyLogIsRefused(@TempDir Path dir) throws Exception {
        Path log = Files.writeString(dir.resolve("rounds.jsonl"), "{not json\n");
        assertThat(run("replay", "--rounds", log.toString())).isEqualTo(BenchCommand.EXIT_USAGE);
        assertThat(err.toString()).contains("holds no complete round; nothing to replay. It holds 1 damaged line\n  " + log
                + " line 1: Unexpected character ('n' (code 110)): was expecting double-quote to start field name (column 2)");
    }

    @Test
    void scenarioRefusesAnOutFolderHoldingAnEarlierRunsRoundLogs(@TempDir Path dir) throws Exception {
        Path earlier = Files.createDirectories(dir.resolve("rounds/validator-0")).resolve("rounds.jsonl");
        Files.writeString(earlier, "{}\n");
        assertThat(run("scenario", "--out", dir.toString())).isEqualTo(BenchCommand.EXIT_USAGE);
        assertThat(err.toString()).contains("already holds an earlier scenario's round logs").contains("new --out folder");
        assertThat(earlier).hasContent("{}");
    }

    @Test
    void scenarioRefusesAnOutThatIsAFile(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("results"), "notes");
        assertThat(run("scenario", "--rounds", "1", "--out", file.toString())).isEqualTo(BenchCommand.EXIT_USAGE);
        assertThat(err.toString()).contains("--out " + file + " is a file; give a folder");
        assertThat(file).hasContent("notes");
    }

    /** One good round: enough for a replay to run, had the --out folder not been refused first. */
    private static Path oneRoundLog(Path dir) throws Exception {
        Path folder = Files.createDirectories(dir.resolve("validator-0"));
        try (RoundLog log = new RoundLog(folder, Long.MAX_VALUE, 1)) {
            log.append(new RoundRecord(1, 0, 0, "q", "What is 1?", "One.", false, List.of(
                    new RoundRecord.MinerRecord(0, "0xa", "One.", null, null, 100, 0, 1),
                    new RoundRecord.MinerRecord(1, "0xb", "Two.", null, null, 100, 0, 0)), null));
            return log.file();
        }
    }

    @Test
    void anOutFolderThatCannotBeMadeIsRefusedBeforeTheReplayRuns(@TempDir Path dir) throws Exception {
        Path log = oneRoundLog(dir);
        Path underAFile = Files.writeString(dir.resolve("results"), "notes").resolve("replay");

        assertThat(run("replay", "--rounds", log.toString(), "--out", underAFile.toString())).isEqualTo(BenchCommand.EXIT_USAGE);
        assertThat(err.toString()).contains("--out " + underAFile + " cannot be made: ")
                .contains("give a folder this user may write");
        assertThat(out.toString()).as("nothing ran, so nothing is printed").isEmpty();
    }

    @Test
    void anOutFolderThisUserCannotWriteIsRefusedBeforeTheReplayRuns(@TempDir Path dir) throws Exception {
        Path log = oneRoundLog(dir);
        Path readOnly = Files.createDirectory(dir.resolve("read-only"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("r-xr-xr-x")));
        assumeTrue(!Files.isWritable(readOnly), "this user writes into read-only folders (root)");

        assertThat(run("compare", "--rounds", log.toString(), "--out", readOnly.toString())).isEqualTo(BenchCommand.EXIT_USAGE);
        assertThat(err.toString()).contains("--out " + readOnly + " is not writable by this user");
    }

    @Test
    void replayHelpNamesTheFlagsOfTheDeployedChain() {
        assertThat(run("replay", "--help")).isZero();
        assertThat(out.toString().replaceAll("\\s+", " ")).contains("give --yuma yuma3 to match it, and --reveal-epochs 1 as well for `chain up --commit-reveal`");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "replay|weight-heatmap.png",
            "scenario|scenario.json",
            "compare|comparison.png",
            "load|rounds.csv",
            "miner-load|miner-load.json",
            "embedding|embedding-speed.json",
    })
    void everyHelpNamesTheFilesOutWrites(String command, String oneOfItsFiles) {
        assertThat(run(command, "--help")).isZero();
        String help = out.toString().replaceAll("\\s+", " ");
        assertThat(help).contains("Files with --out").contains(oneOfItsFiles);
        if (List.of("load", "miner-load", "embedding").contains(command)) {
            assertThat(help).as("it draws no chart").doesNotContain(".png").doesNotContain("PNG");
        }
    }

    @Test
    void replayHelpShowsStakesAsAListOfStakes() {
        assertThat(run("replay", "--help")).isZero();
        assertThat(out.toString().replaceAll("\\s+", "")).contains("[--stakes=STAKE[,STAKE...]]...").doesNotContain("S1,S2");
    }

    @Test
    void moreHonestAndNoisyMinersThanPhrasingsAreRefused() {
        assertThat(run("scenario", "--honest", "12", "--noisy", "4")).isEqualTo(BenchCommand.EXIT_USAGE);
        assertThat(err.toString()).contains("--honest plus --noisy is 16").contains("give at most 15 together");
    }

    @Test
    void paddersAndOpenersWithoutHonestMinersToCopyAreRefused() {
        assertThat(run("scenario", "--honest", "0", "--copycats", "0", "--padders", "1", "--openers", "2")).isEqualTo(BenchCommand.EXIT_USAGE);
        assertThat(err.toString()).contains("copycats, padders and openers copy honest miners' answers and there are none");
    }

    @Test
    void badScenarioListsItsProblems() {
        assertThat(run("scenario", "--honest", "-2", "--rounds", "0")).isEqualTo(BenchCommand.EXIT_USAGE);
        assertThat(err.toString()).contains("--honest is -2").contains("--rounds is 0");
    }

    @Test
    void mismatchedStakesAreRefused(@TempDir Path dir) throws Exception {
        Path log = Files.writeString(dir.resolve("rounds.jsonl"), """
                {"round":1,"timestampMs":0,"block":0,"queryId":"q","prompt":"p","reference":null,"organic":false,"miners":[]}
                """);
        assertThat(run("replay", "--rounds", log.toString(), "--validators", "2", "--stakes", "5")).isEqualTo(BenchCommand.EXIT_USAGE);
        assertThat(err.toString()).contains("--stakes names 1 stake for 2 validators");
    }

    @Test
    void aRevealPeriodOutsideSubtensorsBoundsIsRefused(@TempDir Path dir) throws Exception {
        Path log = Files.writeString(dir.resolve("rounds.jsonl"), """
                {"round":1,"timestampMs":0,"block":0,"queryId":"q","prompt":"p","reference":null,"organic":false,"miners":[]}
                """);
        assertThat(run("replay", "--rounds", log.toString(), "--weight-copier", "10", "--reveal-epochs", "101"))
                .isEqualTo(BenchCommand.EXIT_USAGE);
        assertThat(err.toString()).contains("reveal period of 101 epochs: give 1 to 100, or 0 for commit-reveal off");
    }
}
