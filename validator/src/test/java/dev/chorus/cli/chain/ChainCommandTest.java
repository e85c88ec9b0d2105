package dev.chorus.cli.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ChainCommandTest {

    @Test
    void offersEveryChainSubcommandWithHelp() {
        CommandLine chain = new CommandLine(new ChainCommand());
        assertThat(chain.getSubcommands().keySet()).containsExactlyInAnyOrder(
                "up", "status", "register", "serve", "stake", "set-hyperparameter", "weights", "run-epoch");
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

    @Test
    void badAmountsAreRefusedBeforeTouchingTheChain(@TempDir Path nowhere) {
        StringWriter err = new StringWriter();
        CommandLine chain = new CommandLine(new ChainCommand());
        chain.setErr(new PrintWriter(err));
        chain.setExecutionExceptionHandler((e, line, parsed) -> {
            line.getErr().println(e.getMessage());
            return 2;
        });
        int code = chain.execute("stake", "--amount", "0.0000000001", "--chain-file", nowhere.resolve("none.json").toString());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("at most 9 decimals");
    }

    @Test
    void missingEndpointFileSaysHowToStartAChain(@TempDir Path nowhere) {
        StringWriter err = new StringWriter();
        CommandLine chain = new CommandLine(new ChainCommand());
        chain.setErr(new PrintWriter(err));
        chain.setExecutionExceptionHandler((e, line, parsed) -> {
            line.getErr().println(e.getMessage());
            return 2;
        });
        assertThat(chain.execute("status", "--chain-file", nowhere.resolve("none.json").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("chorus chain up");
    }
}
