package dev.chorus.cli;

import dev.chorus.chain.ChainException;
import dev.chorus.config.ChainSettings;
import dev.chorus.config.ConfigException;
import dev.chorus.miner.server.MetagraphSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.net.ConnectException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MinerCommandTest {

    @TempDir
    Path dir;

    private record Run(int exitCode, String out, Exception failure) {
    }

    private static Run run(String... args) {
        CommandLine commandLine = new CommandLine(new MinerCommand());
        StringWriter out = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        AtomicReference<Exception> failure = new AtomicReference<>();
        commandLine.setExecutionExceptionHandler((e, cl, parsed) -> {
            failure.set(e);
            return 2;
        });
        int code = commandLine.execute(args);
        return new Run(code, out.toString(), failure.get());
    }

    @Test
    void exampleConfigIsValid() {
        Run run = run("--config", Path.of("..", "miner-sdk", "miner.example.yaml").toString(),
                "--set", "chain.contract_address=0x5FbDB2315678afecb367f032d93F642f64180aa3", "--print-config");
        assertThat(run.failure()).isNull();
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("kind: knowledge-base").contains("require_validator_permit: true");
    }

    @Test
    void exampleConfigListsEveryDefault() throws Exception {
        ExampleConfig.assertListsEveryDefault(Path.of("..", "miner-sdk", "miner.example.yaml"), dev.chorus.config.MinerConfig.defaults());
    }

    @Test
    void badMinerSettingsAreAllListed() throws Exception {
        Path file = dir.resolve("miner.yaml");
        Files.writeString(file, """
                chain:
                  contract_address: "0x5FbDB2315678afecb367f032d93F642f64180aa3"
                model:
                  kind: psychic
                  error_rate: 2
                server:
                  rate_burst: 0
                """);
        Run run = run("--config", file.toString());
        assertThat(run.failure()).isInstanceOf(ConfigException.class);
        assertThat(run.failure().getMessage()).contains("model.kind").contains("psychic")
                .contains("model.error_rate").contains("server.rate_burst");
    }

    @Test
    void aMisspeltVariableIsReportedAndTheValidatorsSettingsAreNot() {
        MinerCommand miner = new MinerCommand();
        miner.config.environment = Map.of("CHORUS_MODLE_KIND", "openai", "CHORUS_ROUNDS_PERIOD", "5s",
                "CHORUS_ANVIL", "/opt/anvil", "CHORUS_CHAIN_CONTRACT_ADDRESS", "0x5FbDB2315678afecb367f032d93F642f64180aa3");
        CommandLine commandLine = new CommandLine(miner);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        assertThat(commandLine.execute("--print-config")).isEqualTo(2);
        assertThat(out.toString()).contains("kind: knowledge-base");
        assertThat(err.toString()).contains("1 problem in the configuration").contains("environment variable"
                + " CHORUS_MODLE_KIND: no such setting (did you mean CHORUS_MODEL_KIND?); correct or unset it");
    }

    @Test
    void missingHotkeyIsAUserErrorNamingTheVariable() {
        Run run = run("--set", "chain.contract_address=0x5FbDB2315678afecb367f032d93F642f64180aa3",
                "--set", "key.private_key_env=CHORUS_TEST_KEY_THAT_IS_NOT_SET");
        assertThat(run.failure()).isInstanceOf(UserInputException.class)
                .hasMessageContaining("CHORUS_TEST_KEY_THAT_IS_NOT_SET");
    }

    @Test
    void aHostNameAsExternalHostIsRefusedBeforeTheKeyOrTheChainIsTouched() {
        Run run = run("--register", "--set", "chain.contract_address=0x5FbDB2315678afecb367f032d93F642f64180aa3",
                "--set", "key.private_key_env=CHORUS_TEST_KEY_THAT_IS_NOT_SET", "--set", "server.external_host=localhost");
        assertThat(run.failure()).isInstanceOf(ConfigException.class)
                .hasMessageContaining("server.external_host: 'localhost' is not an IP address");
    }

    @Test
    void aMetagraphReadTheNodeDoesNotAnswerSaysWhatToCheck() {
        ChainSettings chain = ChainSettings.defaults();
        MetagraphSource silent = MinerCommand.sayingWhatToCheck(() -> {
            throw new ChainException("eth_call failed after 4 attempts", new ConnectException("Connection refused"));
        }, chain);
        assertThatThrownBy(silent::fetch).isInstanceOf(ChainException.class)
                .hasMessageContaining("chain unreachable at " + chain.rpcUrl())
                .hasMessageContaining("check chain.rpc_url and that the node is running");

        MetagraphSource broken = MinerCommand.sayingWhatToCheck(() -> {
            throw new IllegalStateException("not a chain problem");
        }, chain);
        assertThatThrownBy(broken::fetch).isInstanceOf(IllegalStateException.class).hasMessage("not a chain problem");
    }
}
