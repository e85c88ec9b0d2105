package dev.chorus.cli.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chorus.cli.UserInputException;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ChainCommandTest {

    @Test
    void offersEveryChainSubcommandWithHelp() {
        CommandLine chain = new CommandLine(new ChainCommand());
        assertThat(chain.getSubcommands().keySet()).containsExactlyInAnyOrder(
                "up", "status", "register", "serve", "stake", "set-hyperparameter", "weights", "epoch");
        StringWriter out = new StringWriter();
        chain.setOut(new PrintWriter(out));
        assertThat(chain.execute("stake", "--help")).isZero();
        assertThat(out.toString()).contains("--amount", "--key-env", "--keystore", "--chain-file");
    }

    @Test
    void aPrivateKeyIsNeverAnOption() {
        CommandLine chain = new CommandLine(new ChainCommand());
        chain.getSubcommands().values().forEach(sub -> assertThat(sub.getCommandSpec().options())
                .allSatisfy(option -> assertThat(option.longestName()).doesNotContainIgnoringCase("private")));
    }

    /** Runs a chain subcommand expected to fail: "exit-code stderr". */
    private static String failing(String... args) {
        StringWriter err = new StringWriter();
        CommandLine chain = new CommandLine(new ChainCommand());
        chain.setErr(new PrintWriter(err));
        chain.setExecutionExceptionHandler((e, line, parsed) -> {
            line.getErr().println(e.getMessage());
            return 2;
        });
        return chain.execute(args) + " " + err;
    }

    /** Runs {@code chorus ARGS} as the launcher does, with its real exit codes: "exit-code stderr". */
    private static String chorus(String... args) {
        StringWriter err = new StringWriter();
        CommandLine chorus = dev.chorus.cli.ChorusCommand.commandLine().setErr(new PrintWriter(err))
                .setOut(new PrintWriter(new StringWriter()));
        return chorus.execute(args) + " " + err;
    }

    /** Each of these would otherwise be found only after Anvil started, or never (tempo 0 never runs an epoch). */
    @Test
    @Timeout(20)
    void upRefusesBadSettingsBeforeStartingAChain(@TempDir Path dir) throws Exception {
        String file = dir.resolve("local-chain.json").toString();
        assertThat(chorus("chain", "up", "--port", "0", "--tempo", "0", "--chain-file", file))
                .startsWith("2 ").contains("--tempo 0 must be between 1 and 65535");
        assertThat(chorus("chain", "up", "--port", "0", "--tempo", "-5", "--chain-file", file)).startsWith("2 ");
        assertThat(chorus("chain", "up", "--port", "0", "--accounts", "0", "--chain-file", file))
                .startsWith("2 ").contains("--accounts 0 must be between 1 and 1000");
        assertThat(chorus("chain", "up", "--port", "0", "--chain-file", dir.toString()))
                .startsWith("2 ").contains("is a folder; give a file path");
        java.nio.file.Files.writeString(dir.resolve("afile"), "");
        assertThat(chorus("chain", "up", "--port", "0", "--chain-file", dir.resolve("afile").resolve("x.json").toString()))
                .startsWith("2 ").contains("is a file, not a folder");
        assertThat(java.nio.file.Files.list(dir)).containsExactly(dir.resolve("afile"));
    }

    @Test
    void badAmountsAreRefusedBeforeTouchingTheChain(@TempDir Path nowhere) {
        assertThat(failing("stake", "--amount", "0.0000000001", "--chain-file", nowhere.resolve("none.json").toString()))
                .startsWith("2 ").contains("at most 9 decimals");
        assertThat(failing("stake", "--amount", "abc", "--chain-file", nowhere.resolve("none.json").toString()))
                .startsWith("2 ").contains("'abc' is not an amount of tokens").doesNotContain("BigDecimal", "NumberFormatException");
    }

    @Test
    void missingEndpointFileSaysHowToStartAChain(@TempDir Path nowhere) {
        assertThat(failing("status", "--chain-file", nowhere.resolve("none.json").toString()))
                .startsWith("2 ").contains("chorus chain up");
    }

    @Test
    void keyErrorsNameTheChainCommandsFlagsNotTheValidatorsSettings() {
        KeyOptions key = new KeyOptions();
        key.environment = Map.of();
        assertThatThrownBy(key::credentials).isInstanceOf(UserInputException.class)
                .hasMessageContaining("(--key-env)").hasMessageContaining("--keystore")
                .hasMessageNotContaining("key.");
    }

    @Test
    void anRpcUrlWithoutSchemeIsRefusedNamingTheFlag(@TempDir Path nowhere) {
        assertThat(failing("status", "--rpc-url", "127.0.0.1:8545", "--contract", "0x" + "1".repeat(40), "--netuid", "1"))
                .startsWith("2 ").contains("--rpc-url ('127.0.0.1:8545') is not an http:// or https:// URL",
                        "e.g. http://127.0.0.1:8545");
    }

    /** Through the whole `chorus` command line, as an operator meets it: one cause said once, then what to check. */
    @Test
    void aNodeThatDoesNotAnswerIsNamedOnceWithWhatToCheck() throws Exception {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort();
        }
        StringWriter err = new StringWriter();
        CommandLine chorus = dev.chorus.cli.ChorusCommand.commandLine().setErr(new PrintWriter(err));
        int code = chorus.execute("chain", "status", "--rpc-url", "http://127.0.0.1:" + port, "--contract",
                "0x" + "1".repeat(40), "--netuid", "1");
        assertThat(code).isEqualTo(1);
        String refused = "Failed to connect to /127.0.0.1:" + port;
        assertThat(err.toString()).contains(refused).contains("the chain node did not answer: is it running",
                "--rpc-url, chain.rpc_url");
        assertThat(err.toString().indexOf(refused)).as("said once: %s", err)
                .isEqualTo(err.toString().lastIndexOf(refused));
    }
}
