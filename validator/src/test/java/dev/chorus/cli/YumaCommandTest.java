package dev.chorus.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.chorus.chain.yuma.YumaJson;
import dev.chorus.chain.yuma.YumaOutput;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class YumaCommandTest {

    private static final String INPUT = """
            {"n": 2, "block": 10, "tempo": 360, "activity_cutoff": 5000, "last_mechanism_step_block": 0,
             "rao_emission": 1000, "kappa": 32767, "bonds_penalty": 65535, "bonds_moving_average": 900000,
             "max_allowed_validators": 64, "min_stake": 0, "owner_uid": null, "yuma3": true, "liquid_alpha": false,
             "alpha_low": 45875, "alpha_high": 58982, "alpha_sigmoid_steepness": 1000,
             "stake": [10, 0], "validator_permit": [true, false], "last_update": [9, 0],
             "block_at_registration": [0, 0], "weights": [[[1, 65535]], []], "bonds": [[], []]}
            """;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String stdin, String... args) {
        CommandLine cli = new CommandLine(new YumaCommand(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8))));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    /** The README's example: an input and its expected output, kept with the chain module's Yuma tests. */
    private static String example(String name) throws IOException {
        try (InputStream in = YumaCommandTest.class.getResourceAsStream("/dev/chorus/chain/yuma/" + name)) {
            assertThat(in).as("resource %s from the chain test-jar", name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        }
    }

    @Test
    void readsStdinAndPrintsTheReadmeExamplesExpectedOutput() throws IOException {
        assertThat(run(example("example-input.json"))).isZero();
        assertThat(out.toString().strip()).isEqualTo(example("example-output.json"));
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void paysTheOnlyMinerHalfAndTheOnlyValidatorHalf() {
        assertThat(run(INPUT)).isZero();
        YumaOutput output = YumaJson.readOutput(out.toString());
        assertThat(output.serverEmission()).containsExactly(0, 500);
        assertThat(output.validatorEmission()).containsExactly(500, 0);
    }

    @Test
    void anOutputThatCannotBeWrittenExitsOneInsteadOfZero(@TempDir Path dir) throws Exception {
        File full = new File("/dev/full");
        assumeTrue(full.exists(), "needs Linux's /dev/full");
        Path file = Files.writeString(dir.resolve("epoch.json"), INPUT);

        Process yuma = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ChorusCommand.class.getName(), "yuma", "--in",
                file.toString()).redirectOutput(full).start();

        assertThat(yuma.waitFor(60, TimeUnit.SECONDS)).as("exits").isTrue();
        String stderr = new String(yuma.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(yuma.exitValue()).as(stderr).isEqualTo(1);
        assertThat(stderr).contains("standard output could not be written");
    }

    @Test
    void readsAFileGivenWithIn(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("epoch.json");
        Files.writeString(file, INPUT);
        assertThat(run("", "--in", file.toString())).isZero();
        assertThat(YumaJson.readOutput(out.toString()).validatorEmission()).containsExactly(500, 0);
    }

    @Test
    void badInputExitsTwoNamingTheField() {
        assertThat(run(INPUT.replace("\"kappa\": 32767", "\"kappa\": -3"))).isEqualTo(2);
        assertThat(err.toString()).startsWith("chorus yuma: kappa: expected a u16");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void missingFileExitsTwo(@TempDir Path dir) {
        assertThat(run("", "--in", dir.resolve("absent.json").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("no such file");
    }

    @Test
    void aFolderGivenWithInIsNamedAsAFolder(@TempDir Path dir) {
        assertThat(run("", "--in", dir.toString())).isEqualTo(2);
        assertThat(err.toString().strip()).isEqualTo("chorus yuma: --in " + dir + " is a folder; give the path of an epoch"
                + " input JSON file");
    }

    @Test
    void twoInputsRunTogetherAreRefused() {
        assertThat(run(INPUT + INPUT)).isEqualTo(2);
        assertThat(err.toString()).startsWith("chorus yuma: input: more after the epoch's JSON object, at line 7, column 1");
        assertThat(out.toString()).isEmpty();
    }
}
