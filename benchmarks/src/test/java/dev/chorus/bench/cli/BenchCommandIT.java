package dev.chorus.bench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chorus.bench.replay.RecordedRounds;
import dev.chorus.validator.state.RoundRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The bench end to end on the real model: a shortened default scenario meets the acceptance thresholds and is
 * byte-for-byte reproducible, its logs replay to the recorded rewards, the consensus scorer beats mean-cosine on
 * colluders, and every chart decodes as an image.
 */
class BenchCommandIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path work;

    static JsonNode scenario;

    static JsonNode withPadders;

    @BeforeAll
    static void runShortScenarioTwice() throws Exception {
        scenario = JSON.readTree(run("scenario", "--rounds", "40", "--json", "--require-acceptance", "--out",
                work.resolve("a").toString()));
        run("scenario", "--rounds", "40", "--json", "--out", work.resolve("b").toString());
        withPadders = JSON.readTree(run("scenario", "--rounds", "20", "--padders", "2", "--openers", "2", "--json",
                "--out", work.resolve("padders").toString()));
    }

    static String run(String... args) {
        Run run = execute(args);
        assertThat(run.code()).as("exit code of %s, stderr: %s", List.of(args), run.err()).isZero();
        return run.out();
    }

    record Run(int code, String out, String err) {
    }

    static Run execute(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = BenchCommand.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void shortDefaultScenarioMeetsTheAcceptanceThresholds() {
        JsonNode acceptance = scenario.get("acceptance");
        assertThat(acceptance.get("honestShare").asDouble()).isGreaterThanOrEqualTo(0.8);
        assertThat(acceptance.get("cheaterShare").asDouble()).isLessThanOrEqualTo(0.1);
        assertThat(acceptance.get("spearman").asDouble()).isGreaterThanOrEqualTo(0.9);
        assertThat(acceptance.get("passed").asBoolean()).isTrue();
        assertThat(scenario.at("/replay/miners")).hasSize(22);
        assertThat(scenario.at("/replay/epochs").asInt()).isEqualTo(4);
    }

    /** Scripts gating a scoring change tell a verdict that failed (3) from a run that did (1) or bad input (2). */
    @Test
    void aFailedVerdictExits3WithRequireAcceptanceOnceEveryFileIsWritten() throws Exception {
        Path out = work.resolve("outnumbered");
        Run run = execute("scenario", "--honest", "1", "--noisy", "0", "--copycats", "0", "--colluders", "5", "--lazy", "0",
                "--validators", "1", "--rounds", "10", "--tempo", "5", "--json", "--require-acceptance", "--out",
                out.toString());

        assertThat(run.code()).as("stderr: %s", run.err()).isEqualTo(ScenarioCommand.EXIT_ACCEPTANCE_FAILED);
        assertThat(JSON.readTree(run.out()).at("/acceptance/passed").asBoolean(true)).isFalse();
        assertThat(JSON.readTree(out.resolve("scenario.json").toFile()).at("/acceptance/passed").asBoolean(true)).isFalse();
        assertThat(run.err()).contains("acceptance FAILED and --require-acceptance was given: exit 3");
    }

    @Test
    void sameSeedGivesByteIdenticalFiles() throws Exception {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(work.resolve("a"))) {
            files = walk.filter(Files::isRegularFile).map(work.resolve("a")::relativize).sorted().toList();
        }
        assertThat(files).extracting(Path::toString).contains("miners.csv", "summary.json", "scenario.json",
                "emission-by-epoch.csv", "emission-share.png", "reward-distribution.png", "weight-heatmap.png",
                "rounds/truth.json", "rounds/validator-0/rounds.jsonl");
        for (Path file : files) {
            assertThat(Files.readAllBytes(work.resolve("b").resolve(file)))
                    .as("%s differs between two runs with the same seed", file)
                    .isEqualTo(Files.readAllBytes(work.resolve("a").resolve(file)));
        }
    }

    @Test
    void chartsAreWrittenAndDecodeAsImages() throws Exception {
        for (String name : List.of("emission-share.png", "reward-distribution.png", "weight-heatmap.png")) {
            BufferedImage image = ImageIO.read(work.resolve("a").resolve(name).toFile());
            assertThat(image).as(name).isNotNull();
            assertThat(image.getWidth()).as(name).isEqualTo(1000);
            assertThat(image.getHeight()).as(name).isEqualTo(600);
        }
    }

    @Test
    void replayOfTheRecordedLogsReproducesTheirRewards() throws Exception {
        Path rounds = work.resolve("a/rounds");
        JsonNode replay = JSON.readTree(run("replay", "--rounds", rounds.resolve("validator-0").toString(),
                "--rounds", rounds.resolve("validator-1").toString(), "--rounds", rounds.resolve("validator-2").toString(),
                "--json"));
        assertThat(replay.get("rewardsCompared").asLong()).isEqualTo(3 * 40 * 22);
        assertThat(replay.get("rewardsEqualToLog").asLong()).isEqualTo(replay.get("rewardsCompared").asLong());
        assertThat(replay.at("/evaluation/emissionShareByClass/honest").asDouble())
                .isEqualTo(scenario.at("/acceptance/honestShare").asDouble());
    }

    @Test
    void aWeightCopierIsReplayedBesideTheValidatorsAndReported() throws Exception {
        Path rounds = work.resolve("a/rounds");
        JsonNode replay = JSON.readTree(run("replay", "--rounds", rounds.resolve("validator-0").toString(),
                "--validators", "3", "--yuma", "yuma3", "--weight-copier", "500000", "--reveal-epochs", "1", "--json"));
        assertThat(replay.get("weightCopier").asBoolean()).isTrue();
        assertThat(replay.get("revealEpochs").asInt()).isEqualTo(1);
        JsonNode validators = replay.get("validators");
        assertThat(validators).hasSize(4);
        JsonNode copier = validators.get(3);
        assertThat(copier.get("role").asText()).isEqualTo("weight-copier");
        assertThat(copier.get("stake").asLong()).isEqualTo(500_000);
        // its rows count two epochs late while the validators' count one epoch late, so it starts an epoch behind
        assertThat(copier.get("relativeYield").asDouble()).isBetween(0.0, 0.99);
        assertThat(replay.get("rewardsEqualToLog").asLong()).isEqualTo(replay.get("rewardsCompared").asLong());
    }

    @Test
    void consensusBeatsMeanCosineOnColluderEmission() throws Exception {
        Path rounds = work.resolve("a/rounds");
        Path out = work.resolve("compare");
        JsonNode comparison = JSON.readTree(run("compare", "--rounds", rounds.resolve("validator-0").toString(),
                "--scorers", "mean-cosine,consensus,reference", "--validators", "3", "--json", "--out", out.toString()));
        JsonNode scorers = comparison.get("scorers");
        assertThat(scorers).hasSize(3);
        double consensus = Double.NaN;
        double meanCosine = Double.NaN;
        for (JsonNode s : scorers) {
            double colluders = s.at("/evaluation/emissionShareByClass/colluder").asDouble();
            if (s.get("scorer").asText().equals("consensus")) {
                consensus = colluders;
            } else if (s.get("scorer").asText().equals("mean-cosine")) {
                meanCosine = colluders;
            }
        }
        assertThat(consensus).isLessThan(meanCosine / 5);
        assertThat(scorers.get(0).get("rank").asInt()).isEqualTo(1);
        assertThat(Files.exists(out.resolve("comparison.json"))).isTrue();
        assertThat(ImageIO.read(out.resolve("mean-cosine/weight-heatmap.png").toFile())).isNotNull();
        BufferedImage sideBySide = ImageIO.read(out.resolve("comparison.png").toFile());
        assertThat(sideBySide.getWidth()).isEqualTo(1000);
        assertThat(sideBySide.getHeight()).isEqualTo(600);
    }

    @Test
    void paddersAndOpenersAreSimulatedLabelledAndReportedAsCheaters() throws Exception {
        assertThat(withPadders.at("/scenario/padders").asInt()).isEqualTo(2);
        assertThat(withPadders.at("/scenario/openers").asInt()).isEqualTo(2);
        assertThat(scenario.at("/scenario/padders").asInt()).isZero();
        JsonNode miners = withPadders.at("/replay/miners");
        assertThat(miners).hasSize(26);
        assertThat(List.of(miners.get(22), miners.get(23), miners.get(24), miners.get(25)))
                .extracting(m -> m.get("class").asText()).containsExactly("padder", "padder", "opener", "opener");
        JsonNode truth = JSON.readTree(work.resolve("padders/rounds/truth.json").toFile());
        assertThat(truth.get(22).get("minerClass").asText()).isEqualTo("padder");
        assertThat(truth.get(25).get("minerClass").asText()).isEqualTo("opener");

        JsonNode byClass = withPadders.at("/replay/evaluation/emissionShareByClass");
        assertThat(byClass.has("padder")).isTrue();
        assertThat(byClass.has("opener")).isTrue();
        double cheaters = 0;
        for (String c : List.of("copycat", "colluder", "lazy", "padder", "opener")) {
            cheaters += byClass.get(c).asDouble();
        }
        assertThat(withPadders.at("/acceptance/cheaterShare").asDouble()).isCloseTo(cheaters,
                within(5e-6));

        for (RoundRecord round : RecordedRounds.read(work.resolve("padders/rounds/validator-0")).rounds()) {
            List<String> honest = round.miners().subList(0, 8).stream().map(RoundRecord.MinerRecord::answer).toList();
            assertThat(honest).as("round %d: padder's answer opens with an honest one", round.round())
                    .anyMatch(h -> round.miners().get(22).answer().startsWith(h + " "));
            assertThat(honest).as("round %d: opener's answer is an honest one's opening", round.round())
                    .anyMatch(h -> h.startsWith(round.miners().get(24).answer() + " "));
        }

        Path rounds = work.resolve("padders/rounds");
        String table = run("compare", "--rounds", rounds.resolve("validator-0").toString(), "--rounds",
                rounds.resolve("validator-1").toString(), "--rounds", rounds.resolve("validator-2").toString(),
                "--out", work.resolve("padders-compare").toString());
        assertThat(table.lines().findFirst().orElseThrow()).endsWith("lazy   padder   opener  settled");
        assertThat(ImageIO.read(work.resolve("padders-compare/comparison.png").toFile())).isNotNull();
        String withoutThem = run("compare", "--rounds", work.resolve("a/rounds/validator-0").toString(), "--scorers",
                "consensus");
        assertThat(withoutThem).doesNotContain("padder").doesNotContain("opener");
    }

    @Test
    void aSettingsFileWithScoringAloneSteersReplayAndCompare() throws Exception {
        Path log = work.resolve("a/rounds/validator-0");
        Path scoring = work.resolve("scoring.yaml");
        Files.writeString(scoring, "scoring:\n  latency_weight: 0.5\n");
        JsonNode replay = JSON.readTree(run("replay", "--rounds", log.toString(), "--config", scoring.toString(), "--json"));
        assertThat(replay.get("rewardsEqualToLog").asLong()).as("other settings than the recorded validator's")
                .isLessThan(replay.get("rewardsCompared").asLong());
        JsonNode defaults = JSON.readTree(run("compare", "--rounds", log.toString(), "--scorers", "consensus", "--json"));
        JsonNode steered = JSON.readTree(run("compare", "--rounds", log.toString(), "--scorers", "consensus", "--config",
                scoring.toString(), "--json"));
        assertThat(steered.at("/scorers/0/evaluation")).isNotEqualTo(defaults.at("/scorers/0/evaluation"));

        Path typo = work.resolve("typo.yaml");
        Files.writeString(typo, "scoring:\n  latency_wieght: 0.5\n");
        Run refused = execute("replay", "--rounds", log.toString(), "--config", typo.toString());
        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.err()).contains("scoring.latency_wieght: unknown setting (did you mean latency_weight?)")
                .doesNotContain("chain.contract_address").doesNotContain("ConfigException");
    }

    @Test
    void aRotatedLogGivenByItsNewestFileIsWarnedAbout() throws Exception {
        Path rotated = Files.createDirectories(work.resolve("rotated"));
        Path newest = rotated.resolve("rounds.jsonl");
        Files.copy(work.resolve("a/rounds/validator-0/rounds.jsonl"), newest);
        Files.copy(newest, rotated.resolve("rounds.jsonl.1"));
        Run file = execute("replay", "--rounds", newest.toString(), "--json");
        assertThat(file.code()).isZero();
        assertThat(file.err()).contains("is only the newest part of a rotated log (rounds.jsonl.1 lies beside it)")
                .contains("--rounds " + rotated.toAbsolutePath());
        Run folder = execute("replay", "--rounds", rotated.toString(), "--json");
        assertThat(folder.err()).doesNotContain("rotated");
        assertThat(JSON.readTree(folder.out()).get("rewardsCompared").asLong())
                .isEqualTo(2 * JSON.readTree(file.out()).get("rewardsCompared").asLong());
    }
}
