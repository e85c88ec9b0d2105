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
        assertThat(chain.execute("up", "--help")).isZero();
        assertThat(out.toString()).contains("--network-lock-cost=TAO", "What creating a subnet costs, in TAO");
    }

    /** What a second chain up says about the chain its endpoint file names, which still answers. */
    @Test
    void aChainThatStillAnswersIsDescribedByTheProcessesItsFileNames(@TempDir Path dir) {
        Path file = dir.resolve("local-chain.json");
        String contract = "0x" + "1".repeat(40);
        ChainEndpoint recorded = new ChainEndpoint("http://127.0.0.1:8545", contract, 31337, 1, 100L, 200L);
        Map<Long, String> running = new java.util.HashMap<>(Map.of(100L, "java", 200L, "anvil"));
        ChainUpCommand.ProcessView view = pid -> java.util.Optional.ofNullable(running.get(pid));

        assertThat(ChainUpCommand.stillAnswering(recorded, file, view)).isEqualTo(
                "another `chorus chain up` (pid 100) is still running at http://127.0.0.1:8545 and uses the endpoint file "
                        + file.toAbsolutePath() + "; stop it first (Ctrl-C where it runs, or `kill 100`), or run this chain"
                        + " beside it with a file and a port of its own: --chain-file FILE --port 0");

        running.remove(100L); // chain up killed with SIGKILL by an older chorus, its Anvil left serving
        assertThat(ChainUpCommand.stillAnswering(recorded, file, view)).isEqualTo(
                "a leftover Anvil (pid 200) still answers at http://127.0.0.1:8545, named by the endpoint file "
                        + file.toAbsolutePath() + ", but the `chorus chain up` that started it (pid 100) is gone, so nothing"
                        + " makes its blocks and epochs; stop it with `kill 200`, or run this chain beside it with a file"
                        + " and a port of its own: --chain-file FILE --port 0");

        running.put(100L, "bash"); // the pid went to another program
        assertThat(ChainUpCommand.stillAnswering(recorded, file, view)).contains("a leftover Anvil (pid 200)", "`kill 200`");

        running.put(200L, "nginx");
        assertThat(ChainUpCommand.stillAnswering(recorded, file, view)).isEqualTo(
                "something answers at http://127.0.0.1:8545, named by the endpoint file " + file.toAbsolutePath()
                        + ", but no running `chorus chain up` owns it: the processes the file names (chain up pid 100,"
                        + " Anvil pid 200) are gone; find what listens there with `ss -ltnp 'sport = :8545'` and stop it,"
                        + " or run this chain beside it with a file and a port of its own: --chain-file FILE --port 0");

        ChainEndpoint older = new ChainEndpoint("http://127.0.0.1:9000", contract, 31337, 1);
        assertThat(ChainUpCommand.stillAnswering(older, file, view))
                .contains("no running `chorus chain up` owns it: the file names no process (an older chorus wrote it)",
                        "`ss -ltnp 'sport = :9000'`");
    }

    @Test
    void aNetworkLockCostIsTakenInTaoDownToOneRao() {
        assertThat(ChainUpCommand.networkLockRao(new java.math.BigDecimal("0"))).isZero();
        assertThat(ChainUpCommand.networkLockRao(new java.math.BigDecimal("2.5"))).isEqualTo(2_500_000_000L);
        assertThat(ChainUpCommand.networkLockRao(new java.math.BigDecimal("18446744073.709551615")))
                .isEqualTo(new java.math.BigInteger("18446744073709551615"));
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
        assertThat(chorus("chain", "up", "--port", "0", "--network-lock-cost", "-1", "--chain-file", file))
                .startsWith("2 ").contains("--network-lock-cost -1 must be 0 or more TAO with at most 9 decimals");
        assertThat(chorus("chain", "up", "--port", "0", "--network-lock-cost", "0.0000000001", "--chain-file", file))
                .startsWith("2 ").contains("--network-lock-cost 0.0000000001 must be 0 or more TAO with at most 9 decimals");
        assertThat(chorus("chain", "up", "--port", "0", "--network-lock-cost", "18446744073.709551616", "--chain-file", file))
                .startsWith("2 ").contains("--network-lock-cost 18446744073.709551616 is more than the contract can hold:"
                        + " give at most 18446744073.709551615 TAO (2^64 - 1 rao)");
        assertThat(chorus("chain", "up", "--port", "0", "--network-lock-cost", "lots", "--chain-file", file))
                .startsWith("2 ").contains("'lots' is not an amount of tokens");
        assertThat(chorus("chain", "up", "--port", "0", "--chain-file", dir.toString()))
                .startsWith("2 ").contains("is a folder; give a file path");
        java.nio.file.Files.writeString(dir.resolve("afile"), "");
        assertThat(chorus("chain", "up", "--port", "0", "--chain-file", dir.resolve("afile").resolve("x.json").toString()))
                .startsWith("2 ").contains("is a file, not a folder");
        assertThat(java.nio.file.Files.list(dir)).containsExactly(dir.resolve("afile"));
    }

    @Test
    void noSubcommandIsAUsageErrorWithTheUsageOnStderr() {
        assertThat(chorus()).startsWith("2 ").contains("Missing required subcommand", "Usage: chorus");
        assertThat(chorus("chain")).startsWith("2 ").contains("Missing required subcommand", "Usage: chorus chain");
    }

    /** Each would otherwise reach the chain client and fail there with a parser's or ABI encoder's text, exit 1. */
    @Test
    void badFlagValuesAreUsageErrorsSayingWhatToGive() {
        String[] target = {"--rpc-url", "http://127.0.0.1:1", "--contract", "0x" + "1".repeat(40), "--netuid", "1"};
        assertThat(chorus(concat(new String[] {"chain", "stake", "--amount", "1", "--hotkey", "0xzz"}, target)))
                .startsWith("2 ").contains("--hotkey ('0xzz') is not a 0x address of 40 hex digits")
                .doesNotContain("For input string");
        assertThat(chorus("chain", "status", "--rpc-url", "http://127.0.0.1:1", "--contract", "0x" + "1".repeat(40),
                "--netuid", "-1")).startsWith("2 ").contains("--netuid (-1) is not a subnet id: give 0 to 65535")
                .doesNotContain("Bit size");
        assertThat(chorus(concat(new String[] {"chain", "weights", "--uid", "-1"}, target)))
                .startsWith("2 ").contains("--uid -1 is not a uid").doesNotContain("Bit size");
        assertThat(chorus(concat(new String[] {"chain", "serve", "--host", "127.0.0.1", "--port", "0"}, target)))
                .startsWith("2 ").contains("--port 0 is not a TCP port");
        assertThat(chorus(concat(new String[] {"chain", "serve", "--host", "127.0.0.1", "--port", "70000"}, target)))
                .startsWith("2 ").contains("--port 70000 is not a TCP port");
        assertThat(chorus(concat(new String[] {"chain", "serve", "--host", "example.com", "--port", "8091"}, target)))
                .startsWith("2 ").contains("--host 'example.com' is not an IP address");
    }

    /** A message of the chain client names a chain.* setting; --set is how these commands take one. */
    @Test
    void chainSettingsAreTakenWithSetAndOnlyChainSettings() {
        String[] target = {"--rpc-url", "http://127.0.0.1:1", "--contract", "0x" + "1".repeat(40), "--netuid", "1"};
        assertThat(chorus(concat(new String[] {"chain", "status", "--set", "rounds.sample_size=3"}, target)))
                .startsWith("2 ").contains("--set rounds.sample_size: `chorus chain` commands take chain.* settings only");
        assertThat(chorus(concat(new String[] {"chain", "status", "--set", "chain.rpc_url=http://127.0.0.1:2"}, target)))
                .startsWith("2 ").contains("give the endpoint with --rpc-url");
        assertThat(chorus(concat(new String[] {"chain", "status", "--set", "chain.max_fee_per_gas_wei=-1"}, target)))
                .startsWith("2 ").contains("chain.max_fee_per_gas_wei: -1 is negative");
        assertThat(chorus(concat(new String[] {"chain", "status", "--set", "chain.gas_margin_percnt=50"}, target)))
                .startsWith("2 ").contains("gas_margin_percent");
    }

    @Test
    void anEpochNotDueSaysHowManyBlocksAreMissingAndWhereBlocksComeFrom() {
        assertThat(EpochCommand.notDue(1, java.math.BigInteger.valueOf(25), 20))
                .contains("may run from block 25 and the chain is at block 20, 4 blocks short",
                        "Blocks come from transactions", "chorus chain up --block-time N")
                .doesNotContain("try again then");
        assertThat(EpochCommand.notDue(1, java.math.BigInteger.valueOf(25), 23)).contains(", 1 block short.");
        assertThat(EpochCommand.notDue(1, java.math.BigInteger.TWO.pow(64).subtract(java.math.BigInteger.ONE), 20))
                .contains("never runs: its tempo is 0", "set-hyperparameter tempo N");
    }


    private static String[] concat(String[] first, String... more) {
        return java.util.stream.Stream.concat(java.util.Arrays.stream(first), java.util.Arrays.stream(more)).toArray(String[]::new);
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

    @Test
    void aTakenPortIsRefusedNamingTheFlagThatChoosesAnother(@TempDir Path dir) throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            StringWriter err = new StringWriter();
            CommandLine chorus = dev.chorus.cli.ChorusCommand.commandLine().setErr(new PrintWriter(err));
            int code = chorus.execute("chain", "up", "--port", Integer.toString(taken.getLocalPort()), "--chain-file",
                    dir.resolve("other.json").toString());
            assertThat(code).as(err.toString()).isEqualTo(2);
            assertThat(err.toString()).contains("loopback port " + taken.getLocalPort() + " is already in use",
                    "give this chain another port with --port (0 picks a free one)");
        }
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
        assertThat(err.toString()).startsWith("chorus chain status failed: ");
        String refused = "Failed to connect to /127.0.0.1:" + port;
        assertThat(err.toString()).contains(refused).contains("the chain node did not answer: is it running",
                "(--rpc-url, or the endpoint file of `chorus chain up`)");
        assertThat(err.toString().indexOf(refused)).as("said once: %s", err)
                .isEqualTo(err.toString().lastIndexOf(refused));
    }
}
