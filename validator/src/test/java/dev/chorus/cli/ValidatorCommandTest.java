package dev.chorus.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ValidatorCommandTest {

    @TempDir
    Path dir;

    private record Run(int exitCode, String out, String err) {
    }

    private static Run run(String... args) {
        CommandLine commandLine = ChorusCommand.commandLine();
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
                .contains("sample_size: 0");
        assertThat(run.err()).contains("2 problems in the configuration").contains("chain.contract_address")
                .contains("rounds.sample_size").doesNotContain("Exception");
    }

    @Test
    void unknownOptionExits2WithUsage() {
        Run run = run("validator", "--frobnicate");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Unknown option: '--frobnicate'");
    }
}
