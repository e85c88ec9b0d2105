package dev.chorus.cli.chain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.chain.local.LocalChain;
import dev.chorus.cli.ChorusCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** `chain up` in one "terminal", the operator commands and `chain status` in another, all in-process. */
class ChainCommandsIT {

    private record Run(int exitCode, String out, String err) {
    }

    /** Through the top command, whose failure handler adds the hints an operator reads. */
    private static Run runChorus(String... args) {
        return run(ChorusCommand.commandLine(), args);
    }

    private static Run run(Object command, String... args) {
        return run(new CommandLine(command), args);
    }

    private static Run run(CommandLine commandLine, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        int code = commandLine.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private static <T> T withKey(T command, KeyOptions key, String privateKey) {
        key.environment = Map.of("CHORUS_PRIVATE_KEY", privateKey);
        return command;
    }

    /** {@code chain up} running in its own "terminal" until {@link #close}, which stops it as Ctrl-C would. */
    private static final class UpTerminal implements AutoCloseable {
        final ChainUpCommand up = new ChainUpCommand();
        final StringWriter out = new StringWriter();
        private final ExecutorService terminal = Executors.newSingleThreadExecutor();
        private final Future<Integer> exit;

        UpTerminal(String... args) throws InterruptedException {
            CommandLine line = new CommandLine(up);
            line.setOut(new PrintWriter(out, true));
            exit = terminal.submit(() -> line.execute(args));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            // The endpoint is set before the banner is printed: wait for the banner's last line, not the endpoint.
            while (!out.toString().contains("Press Ctrl-C to stop.") && !exit.isDone() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(up.endpoint()).as("chain up output: %s", out).isNotNull();
        }

        @Override
        public void close() throws Exception {
            up.requestStop();
            try {
                assertThat(exit.get(30, TimeUnit.SECONDS)).isZero();
            } finally {
                terminal.shutdownNow();
            }
        }
    }

    @Test
    void upThenOperatorCommandsThenStatusShowTheSubnet(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("local-chain.json");
        // No block clock: the test runs the epoch itself, at a block it knows.
        try (UpTerminal terminal = new UpTerminal("--port", "0", "--tempo", "12", "--block-time", "0", "--network-lock-cost", "2.5",
                "--chain-file", file.toString())) {
            ChainUpCommand up = terminal.up;
            StringWriter upOut = terminal.out;
            assertThat(upOut.toString()).contains("run epochs with: chorus chain epoch")
                    .contains("network lock   2.5 TAO (2500000000 rao): what creating a subnet costs; account #0 paid it for netuid "
                            + up.endpoint().netuid());
            assertThat(Files.exists(file)).isTrue();
            assertThat(upOut.toString()).contains("RPC URL", up.endpoint().contract(), "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
            String[] at = {"--chain-file", file.toString()};
            String miner = LocalChain.deriveDevAccounts(3).get(2).privateKey();
            String validator = LocalChain.deriveDevAccounts(3).get(1).privateKey();

            ChainRegisterCommand registerValidator = new ChainRegisterCommand();
            assertThat(run(withKey(registerValidator, registerValidator.key, validator), at).out()).contains("as uid 0");
            ChainRegisterCommand registerMiner = new ChainRegisterCommand();
            assertThat(run(withKey(registerMiner, registerMiner.key, miner), at).out()).contains("as uid 1");
            ChainRegisterCommand registerAgain = new ChainRegisterCommand();
            Run twice = run(withKey(registerAgain, registerAgain.key, validator), at);
            assertThat(twice.exitCode()).as(twice.err()).isZero();
            assertThat(twice.out()).contains("already registered ", " on subnet ", " as uid 0");
            CommandLine chorus = ChorusCommand.commandLine();
            ChainServeCommand unregistered = chorus.getSubcommands().get("chain").getSubcommands().get("serve").getCommand();
            withKey(unregistered, unregistered.key, LocalChain.deriveDevAccounts(6).get(5).privateKey());
            Run notRegistered = run(chorus, "chain", "serve", "--chain-file", file.toString(), "--host", "127.0.0.1",
                    "--port", "8091");
            assertThat(notRegistered.exitCode()).isNotZero();
            assertThat(notRegistered.err()).contains("HotKeyNotRegisteredInNetwork")
                    .contains("the hotkey has no uid on this subnet: register it first with `chorus chain register`");
            ChainServeCommand serve = new ChainServeCommand();
            Run served = run(withKey(serve, serve.key, miner), "--chain-file", file.toString(), "--host", "127.0.0.1", "--port", "8091");
            assertThat(served.exitCode()).as(served.err()).isZero();
            ChainServeCommand capped = new ChainServeCommand();
            Run overCeiling = run(withKey(capped, capped.key, miner), "--chain-file", file.toString(), "--host", "127.0.0.1",
                    "--port", "8092", "--set", "chain.max_fee_per_gas_wei=1000");
            assertThat(overCeiling.exitCode()).as("a --set setting is applied").isNotZero();
            assertThat(overCeiling.err()).contains("above the ceiling of 1000 wei (chain.max_fee_per_gas_wei)");
            ChainStakeCommand stake = new ChainStakeCommand();
            Run staked = run(withKey(stake, stake.key, validator), "--chain-file", file.toString(), "--amount", "2.5");
            assertThat(staked.out()).contains("2500000000 rao", "uid 0 holds a validator permit");
            ChainSetHyperparameterCommand set = new ChainSetHyperparameterCommand();
            String owner = LocalChain.deriveDevAccounts(1).getFirst().privateKey();
            assertThat(run(withKey(set, set.key, owner), "--chain-file", file.toString(), "kappa", "40000").out()).contains("kappa = 40000");

            Run status = run(new ChainStatusCommand(), at);
            assertThat(status.exitCode()).as(status.err()).isZero();
            assertThat(status.out()).contains("(tempo 12)", ": 2 uids", "127.0.0.1:8091", "2.5000");
            assertThat(status.out().lines().filter(line -> line.matches("\\s+0\\s+0x.*")).findFirst().orElseThrow()).contains(" yes ");

            Run json = run(new ChainStatusCommand(), "--chain-file", file.toString(), "--json");
            com.fasterxml.jackson.databind.JsonNode metagraph = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out());
            assertThat(metagraph.get("neurons")).hasSize(2);
            assertThat(metagraph.get("neurons").get(1).get("axon").get("port").asInt()).isEqualTo(8091);

            ChainRegisterCommand registerOwner = new ChainRegisterCommand();
            assertThat(run(withKey(registerOwner, registerOwner.key, owner), at).out()).contains("as uid 2");
            org.web3j.crypto.Credentials ownerKey = org.web3j.crypto.Credentials.create(owner);
            try (dev.chorus.chain.web3j.Web3jSubnetChain chain = dev.chorus.chain.web3j.Web3jSubnetChain.local(up.endpoint().rpcUrl(),
                    up.endpoint().contract(), ownerKey, dev.chorus.chain.web3j.ClientOptions.localChain(up.endpoint().chainId()))) {
                chain.setWeights(up.endpoint().netuid(), new dev.chorus.chain.WeightVector(java.util.List.of(0, 1), java.util.List.of(100, 50)), 0);
                assertThat(chain.networkLockCost()).isEqualTo(2_500_000_000L);
            }
            assertThat(run(new ChainWeightsCommand(), at).out()).contains("uid 2: 0=65535 1=32768");
            StringWriter noSuchUid = new StringWriter();
            assertThat(dev.chorus.cli.ChorusCommand.commandLine().setErr(new PrintWriter(noSuchUid))
                    .execute("chain", "weights", "--chain-file", file.toString(), "--uid", "5")).isEqualTo(2);
            assertThat(noSuchUid.toString()).contains("--uid 5 is not on subnet " + up.endpoint().netuid()
                    + ": it has 3 uids (0 to 2)");
            EpochCommand epoch = new EpochCommand();
            Run ran = run(withKey(epoch, epoch.key, owner), at);
            assertThat(ran.out()).as(ran.err()).contains("epoch of subnet " + up.endpoint().netuid() + " run in block");
            EpochCommand again = new EpochCommand();
            Run tooSoon = run(withKey(again, again.key, owner), at);
            assertThat(tooSoon.exitCode()).isNotZero();
            assertThat(tooSoon.err()).contains("is not due yet");

            ChainSetHyperparameterCommand notOwner = new ChainSetHyperparameterCommand();
            Run notOwned = run(withKey(notOwner, notOwner.key, validator), "--chain-file", file.toString(), "tempo", "30");
            assertThat(notOwned.exitCode()).isNotZero();
            assertThat(notOwned.err()).contains("only the owner of subnet " + up.endpoint().netuid() + ", "
                    + org.web3j.crypto.Credentials.create(owner).getAddress(), "signs as "
                    + org.web3j.crypto.Credentials.create(validator).getAddress(), "marks as the subnet owner");

            ChainSetHyperparameterCommand bad = new ChainSetHyperparameterCommand();
            Run refused = run(withKey(bad, bad.key, owner), "--chain-file", file.toString(), "no_such_thing", "1");
            assertThat(refused.exitCode()).isNotZero();
        }
        assertThat(Files.exists(file)).isFalse();
        Run gone = run(new ChainStatusCommand(), "--chain-file", file.toString());
        assertThat(gone.exitCode()).isNotZero();
        assertThat(gone.err()).contains("chorus chain up");
    }

    /**
     * Announcing the axon the chain already holds is the outcome the miner wanted, as {@code miner --register} takes
     * it, and must not be refused by the subnet's serving rate limit; an update the limit does refuse says when it may go.
     */
    @Test
    void servingTheSameAxonAgainSendsNothingAndARateLimitedUpdateSaysWhenItMayGo(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("local-chain.json");
        try (UpTerminal terminal = new UpTerminal("--port", "0", "--block-time", "0", "--chain-file", file.toString())) {
            String[] at = {"--chain-file", file.toString()};
            String owner = LocalChain.deriveDevAccounts(1).getFirst().privateKey();
            String miner = LocalChain.deriveDevAccounts(3).get(2).privateKey();
            ChainSetHyperparameterCommand limit = new ChainSetHyperparameterCommand();
            Run limited = run(withKey(limit, limit.key, owner), concat(at, "servingRateLimit", "50"));
            assertThat(limited.exitCode()).as(limited.err()).isZero();
            ChainRegisterCommand register = new ChainRegisterCommand();
            assertThat(run(withKey(register, register.key, miner), at).exitCode()).isZero();
            ChainServeCommand first = new ChainServeCommand();
            Run served = run(withKey(first, first.key, miner), concat(at, "--host", "127.0.0.1", "--port", "8091"));
            assertThat(served.exitCode()).as(served.err()).isZero();
            long servedAt = Long.parseLong(served.out().replaceAll("(?s).*\\(block (\\d+),.*", "$1"));

            ChainServeCommand again = new ChainServeCommand();
            Run same = run(withKey(again, again.key, miner), concat(at, "--host", "127.0.0.1", "--port", "8091"));
            assertThat(same.exitCode()).as(same.err()).isZero();
            assertThat(same.out()).contains("is already 127.0.0.1:8091 (served in block " + servedAt + "); nothing was sent");

            CommandLine chorus = ChorusCommand.commandLine();
            ChainServeCommand moved = chorus.getSubcommands().get("chain").getSubcommands().get("serve").getCommand();
            withKey(moved, moved.key, miner);
            Run tooSoon = run(chorus, concat(new String[] {"chain", "serve"}, concat(at, "--host", "127.0.0.1", "--port", "8092")));
            assertThat(tooSoon.exitCode()).isNotZero();
            assertThat(tooSoon.err()).contains("ServingRateLimitExceeded", "one axon update per hotkey every 50 blocks",
                    "127.0.0.1:8091 was served in block " + servedAt, "from block " + (servedAt + 50),
                    "the chain is at block " + servedAt);
        }
    }

    /**
     * The contract refuses an axon at the any address (stored as 0, which reads back as no axon) and, on a subnet
     * without loopback axons, at 127.0.0.1 or ::1, in both cases as a bare InvalidIpAddress: the miner's settings
     * refuse the first before anything is sent, and a refusal of the second must say which rule it broke.
     */
    @Test
    void anAxonAtTheAnyAddressIsRefusedBeforeSendingAndALoopbackOneSaysTheSubnetTakesNone(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("local-chain.json");
        try (UpTerminal terminal = new UpTerminal("--port", "0", "--block-time", "0", "--chain-file", file.toString())) {
            String[] at = {"--chain-file", file.toString()};
            String owner = LocalChain.deriveDevAccounts(1).getFirst().privateKey();
            String miner = LocalChain.deriveDevAccounts(3).get(2).privateKey();
            ChainSetHyperparameterCommand strict = new ChainSetHyperparameterCommand();
            Run noLoopback = run(withKey(strict, strict.key, owner), concat(at, "allowLoopbackAxons", "false"));
            assertThat(noLoopback.exitCode()).as(noLoopback.err()).isZero();
            ChainRegisterCommand register = new ChainRegisterCommand();
            assertThat(run(withKey(register, register.key, miner), at).exitCode()).isZero();

            for (String any : new String[] {"0.0.0.0", "::"}) {
                Run anyAddress = serveThroughChorus(miner, concat(at, "--host", any, "--port", "8091"));
                assertThat(anyAddress.exitCode()).as(anyAddress.err()).isEqualTo(2);
                assertThat(anyAddress.err()).contains("--host '" + any + "' is the any address a server listens on",
                        "the IP address validators reach the axon at");
            }
            Run loopback = serveThroughChorus(miner, concat(at, "--host", "127.0.0.1", "--port", "8091"));
            assertThat(loopback.exitCode()).isEqualTo(1);
            assertThat(loopback.err()).contains("InvalidIpAddress", "subnet " + terminal.up.endpoint().netuid()
                    + " takes no loopback axon (allowLoopbackAxons is false)");
        }
    }

    /** {@code chorus chain serve ARGS} signed by {@code privateKey}, through the top command and its failure handler. */
    private static Run serveThroughChorus(String privateKey, String... args) {
        CommandLine chorus = ChorusCommand.commandLine();
        ChainServeCommand serve = chorus.getSubcommands().get("chain").getSubcommands().get("serve").getCommand();
        withKey(serve, serve.key, privateKey);
        return run(chorus, concat(new String[] {"chain", "serve"}, args));
    }

    /** A name in snake case is taken, as the help's NAME is; the line that confirms the change names what was set. */
    @Test
    void aHyperparameterSetBySnakeCaseNameIsConfirmedWithItsValue(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("local-chain.json");
        try (UpTerminal terminal = new UpTerminal("--port", "0", "--block-time", "0", "--chain-file", file.toString())) {
            ChainSetHyperparameterCommand set = new ChainSetHyperparameterCommand();
            String owner = LocalChain.deriveDevAccounts(1).getFirst().privateKey();
            Run changed = run(withKey(set, set.key, owner), "--chain-file", file.toString(), "serving_rate_limit", "50");
            assertThat(changed.exitCode()).as(changed.err()).isZero();
            assertThat(changed.out()).contains("subnet " + terminal.up.endpoint().netuid() + ": servingRateLimit = 50")
                    .doesNotContain("null");
        }
    }

    /**
     * {@code chain stake --amount} counts tokens, the hyperparameters count rao: a listing or confirmation without the
     * unit leaves an owner who set a stake threshold of 1000 believing it is 1000 tokens.
     */
    @Test
    void hyperparameterAmountsAreListedAndConfirmedInRaoWithTheirTokens(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("local-chain.json");
        try (UpTerminal terminal = new UpTerminal("--port", "0", "--block-time", "0", "--chain-file", file.toString())) {
            Run listed = run(new ChainSetHyperparameterCommand(), "--chain-file", file.toString());
            assertThat(listed.exitCode()).as(listed.err()).isZero();
            assertThat(listed.out()).containsPattern("burn +1000000000 rao \\(1 token\\)\n")
                    .containsPattern("emissionPerEpoch +360000000000 rao \\(360 tokens\\)\n")
                    .containsPattern("tempo +10\n");
            ChainSetHyperparameterCommand set = new ChainSetHyperparameterCommand();
            String owner = LocalChain.deriveDevAccounts(1).getFirst().privateKey();
            Run changed = run(withKey(set, set.key, owner), "--chain-file", file.toString(), "stakeThreshold", "1000");
            assertThat(changed.exitCode()).as(changed.err()).isZero();
            assertThat(changed.out()).contains("stakeThreshold = 1000 rao (0.000001 tokens)");
        }
    }

    @Test
    void upMinesBlocksAndRunsTheEpochWhenDue(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("local-chain.json");
        try (UpTerminal terminal = new UpTerminal("--port", "0", "--tempo", "3", "--block-time", "0.1", "--chain-file", file.toString())) {
            assertThat(terminal.out.toString()).contains("A block every 0.1 s; the subnet's epoch runs whenever it is due (every 3 blocks).");
            String epochLine = "epoch of subnet " + terminal.up.endpoint().netuid() + " run in block";
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (terminal.out.toString().split(epochLine, -1).length - 1 < 2) {
                assertThat(System.nanoTime()).as("two epochs within 30 s: %s", terminal.out).isLessThan(deadline);
                Thread.sleep(50);
            }
            Run status = run(new ChainStatusCommand(), "--chain-file", file.toString());
            assertThat(status.exitCode()).as(status.err()).isZero();

            ChainSetHyperparameterCommand stopEpochs = new ChainSetHyperparameterCommand();
            String owner = LocalChain.deriveDevAccounts(1).getFirst().privateKey();
            Run stopped = run(withKey(stopEpochs, stopEpochs.key, owner), "--chain-file", file.toString(), "tempo", "0");
            assertThat(stopped.out()).as(stopped.err()).contains("tempo = 0").contains("the subnet's epoch no longer runs");
        }
    }

    @Test
    void aSecondUpOnTheSameFileIsRefusedAndTheFileOutlivesAnUpThatNoLongerOwnsIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("local-chain.json");
        ChainEndpoint takenOver;
        try (UpTerminal first = new UpTerminal("--port", "0", "--block-time", "0", "--chain-file", file.toString())) {
            assertThat(first.out.toString()).contains("network lock   1000 TAO (1000000000000 rao)");
            StringWriter err = new StringWriter();
            int code = dev.chorus.cli.ChorusCommand.commandLine().setErr(new PrintWriter(err)).execute(
                    "chain", "up", "--port", "0", "--block-time", "0", "--chain-file", file.toString());
            assertThat(code).as(err.toString()).isEqualTo(2);
            assertThat(err.toString()).contains("another `chorus chain up` (pid " + ProcessHandle.current().pid()
                    + ") is still running at " + first.up.endpoint().rpcUrl(), "--chain-file");
            assertThat(ProcessHandle.of(first.up.endpoint().anvilPid()).flatMap(anvil -> anvil.info().command()))
                    .hasValueSatisfying(command -> assertThat(command).endsWith("/anvil"));
            assertThat(ChainEndpoint.read(file)).isEqualTo(first.up.endpoint());

            // As when a second chain up found this one not answering and took the file over.
            takenOver = new ChainEndpoint("http://127.0.0.1:1", first.up.endpoint().contract(), 1, 1);
            takenOver.write(file);
        }
        assertThat(ChainEndpoint.read(file)).isEqualTo(takenOver);
    }

    /** Providers put the API key in the RPC URL; status and the connect errors name the node by scheme, host and port. */
    @Test
    void statusAndConnectErrorsNeverPrintTheKeyInTheRpcUrl(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("local-chain.json");
        try (UpTerminal terminal = new UpTerminal("--port", "0", "--block-time", "0", "--chain-file", file.toString())) {
            ChainEndpoint at = terminal.up.endpoint();
            String node = at.rpcUrl();
            // Anvil answers on / whatever the query, and ignores the user part.
            String keyed = node.replace("http://", "http://operator:KEY-IN-USER-PART@") + "/?apikey=KEY-IN-QUERY";
            String[] target = {"--rpc-url", keyed, "--netuid", Integer.toString(at.netuid())};

            Run status = run(new ChainStatusCommand(), concat(target, "--contract", at.contract()));
            assertThat(status.exitCode()).as(status.err()).isZero();
            assertThat(status.out()).contains(" on " + node + "/..., contract ").doesNotContain("KEY-IN");

            Run otherChain = run(new ChainStatusCommand(), concat(target, "--contract", at.contract(), "--chain-id", "999"));
            assertThat(otherChain.exitCode()).isNotZero();
            assertThat(otherChain.err()).contains("the node at " + node + "/... reports chain id " + at.chainId())
                    .doesNotContain("KEY-IN");

            Run noSubnet = runChorus("chain", "status", "--rpc-url", node, "--netuid", "7", "--contract", at.contract());
            assertThat(noSubnet.exitCode()).isNotZero();
            assertThat(noSubnet.err()).contains("SubnetNotExists").contains("no subnet with that netuid exists on this chain")
                    .contains("--netuid");

            Run noContract = run(new ChainStatusCommand(), concat(target, "--contract", "0x" + "0".repeat(39) + "1"));
            assertThat(noContract.exitCode()).isNotZero();
            assertThat(noContract.err()).contains(" on " + node + "/...; deploy one first").doesNotContain("KEY-IN");
        }
    }

    private static String[] concat(String[] first, String... more) {
        return java.util.stream.Stream.concat(java.util.Arrays.stream(first), java.util.Arrays.stream(more)).toArray(String[]::new);
    }
}
