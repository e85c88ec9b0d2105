package dev.chorus.cli.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chorus.cli.UserInputException;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
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
}
