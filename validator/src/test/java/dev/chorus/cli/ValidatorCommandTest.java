package dev.chorus.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class ValidatorCommandTest {

    @TempDir
    Path dir;

    private record Run(int exitCode, String out, String err) {
    }

    private static Run run(String... args) {
        return execute(ChorusCommand.commandLine(), args);
    }

    private static Run execute(CommandLine commandLine, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int code = commandLine.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void configWithThreeMistakesListsAllThreeAndExits2() throws Exception {
        Path file = dir.resolve("validator.yaml");
        Files.writeString(file, """
                chain:
                  rpc_url: localhost:8545
                  contract_address: "0x1234"
                rounds:
                  period: fast
                """);
        Run run = run("validator", "--config", file.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("3 problems in the configuration")
                .contains("chain.rpc_url: 'localhost:8545' is not an http(s) URL")
                .contains("chain.contract_address: '0x1234' is not a 0x address")
                .contains("rounds.period: 'fast'")
                .doesNotContain("Exception");
    }

    @Test
    void exampleConfigIsValid() {
        Run run = run("validator", "--config", Path.of("..", "validator.example.yaml").toString(),
                "--set", "chain.contract_address=0x5FbDB2315678afecb367f032d93F642f64180aa3", "--print-config");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("rpc_url: \"http://127.0.0.1:8545\"").contains("period: 12s");
    }

    @Test
    void exampleConfigListsEveryDefault() throws Exception {
        ExampleConfig.assertListsEveryDefault(Path.of("..", "validator.example.yaml"), dev.chorus.config.ValidatorConfig.defaults());
    }

    @Test
    void printConfigShowsTheDefaultsEvenWhileASettingIsMissingAndListsWhatIsWrong() {
        Run run = run("validator", "--set", "rounds.sample_size=0", "--print-config");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).contains("rpc_url: \"http://127.0.0.1:8545\"").contains("period: 12s")
                .contains("sample_size: 0  # <-- rounds.sample_size: ").contains("contract_address: \"\"  # <-- chain.contract_address: not set");
        assertThat(run.err()).contains("2 problems in the configuration").contains("chain.contract_address")
                .contains("rounds.sample_size").doesNotContain("Exception");
    }

    /** Runs {@code chorus validator} with {@code env} as its whole environment. */
    private static Run runWith(Map<String, String> env, String... args) {
        CommandLine chorus = ChorusCommand.commandLine();
        ValidatorCommand validator = chorus.getSubcommands().get("validator").getCommand();
        validator.config.environment = env;
        String[] withCommand = new String[args.length + 1];
        withCommand[0] = "validator";
        System.arraycopy(args, 0, withCommand, 1, args.length);
        return execute(chorus, withCommand);
    }

    @Test
    void aMisspeltSectionInAVariableIsListedWithTheOtherProblemsAndExits2() {
        Run run = runWith(Map.of("CHORUS_ROUND_PERIOD", "5s"), "--config",
                Path.of("..", "validator.example.yaml").toString(), "--print-config");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).contains("period: 12s");
        assertThat(run.err()).contains("2 problems in the configuration").contains("chain.contract_address")
                .contains("environment variable CHORUS_ROUND_PERIOD: no such setting"
                        + " (did you mean CHORUS_ROUNDS_PERIOD?); correct or unset it")
                .doesNotContain("5s");
    }

    @Test
    void theChorusVariablesThatAreNoSettingsAreAccepted() {
        Run run = runWith(Map.of("CHORUS_ANVIL", "/opt/anvil", "CHORUS_LOG_LEVEL", "WARN",
                        "CHORUS_PRIVATE_KEY", "0x1", "CHORUS_KEYSTORE_PASSWORD", "p", "CHORUS_ADMIN_TOKEN", "t",
                        "CHORUS_API_KEY", "k", "CHORUS_CHAIN_CONTRACT_ADDRESS", "0x5FbDB2315678afecb367f032d93F642f64180aa3"),
                "--print-config");
        assertThat(run.exitCode()).as(run.err()).isZero();
    }

    @Test
    void theLogLevelVariableAcceptedIsTheOneLogbackReads() throws Exception {
        String logback;
        try (var in = Objects.requireNonNull(ValidatorCommand.class.getResourceAsStream("/logback.xml"))) {
            logback = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        assertThat(logback).contains("${CHORUS_LOG_LEVEL:-");
        assertThat(ConfigOptions.NOT_SETTINGS).contains("CHORUS_LOG_LEVEL");
    }

    @Test
    void aShortOrganicApiKeyStopsTheStartBeforeItWaitsForTheChainOrTheModel() {
        // Nothing listens on port 1: a start that got as far as the chain would wait for it, and this test time out.
        Run run = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> runWith(Map.of(
                        "CHORUS_PRIVATE_KEY", "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
                        "CHORUS_API_KEY", "tooshort"),
                "--set", "chain.rpc_url=http://127.0.0.1:1",
                "--set", "chain.contract_address=0x5FbDB2315678afecb367f032d93F642f64180aa3",
                "--set", "state.dir=" + dir.resolve("state"),
                "--set", "organic.enabled=true"));
        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).contains("[CHORUS_API_KEY]").contains("shorter than").contains("openssl rand -hex 32")
                .doesNotContain("tooshort").doesNotContain("Exception");
        assertThat(dir.resolve("state")).as("nothing of the start was done").doesNotExist();
    }

    @Test
    void unknownOptionExits2WithUsage() {
        Run run = run("validator", "--frobnicate");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Unknown option: '--frobnicate'");
    }
}
