package dev.chorus.cli.chain;

import dev.chorus.chain.Hyperparameters;
import dev.chorus.chain.local.BlockClock;
import dev.chorus.chain.local.DevAccount;
import dev.chorus.chain.local.LocalChain;
import dev.chorus.chain.local.LocalChainException;
import dev.chorus.chain.local.LocalChainOptions;
import dev.chorus.chain.web3j.ClientOptions;
import dev.chorus.chain.web3j.Web3jSubnetChain;
import dev.chorus.cli.UserInputException;
import dev.chorus.config.RedactedUrl;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code chorus chain up}: Anvil + the Subnet contract + one subnet, until Ctrl-C. */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = "Start a local chain (Anvil), deploy the Subnet contract, create a subnet and print how to reach it; runs until Ctrl-C.")
public final class ChainUpCommand implements Callable<Integer> {

    private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--port", paramLabel = "PORT", description = "Loopback port for JSON-RPC; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port = 8545;

    @Option(names = "--tempo", paramLabel = "BLOCKS", description = "Blocks per epoch of the new subnet (default: ${DEFAULT-VALUE}).")
    int tempo = 10;

    @Option(names = "--accounts", paramLabel = "N", description = "Funded dev accounts to create (default: ${DEFAULT-VALUE}).")
    int accounts = 10;

    @Option(names = "--block-time", paramLabel = "SECONDS",
            description = "Mine a block every this many seconds and run the subnet's epoch whenever it is due, as subtensor does; "
                    + "0 leaves blocks to transactions and epochs to `chorus chain epoch` (default: ${DEFAULT-VALUE}).")
    double blockTimeSeconds = 2;

    @Option(names = "--commit-reveal", description = "Require commit-reveal for weights on the new subnet (off by default on a local chain).")
    boolean commitReveal;

    @Option(names = "--network-lock-cost", paramLabel = "TAO", converter = ChainStakeCommand.Tokens.class,
            description = "What creating a subnet costs, in TAO (1 TAO = 1e9 rao = 1 ether here); set by the deployer, account"
                    + " #0, before it creates the subnet; 0 makes subnets free (default: the contract's 1000 TAO, subtensor's"
                    + " minimum lock).")
    BigDecimal networkLockCost;

    @Option(names = "--chain-file", paramLabel = "FILE", description = "Where to write the endpoint for other commands (default: ${DEFAULT-VALUE}).")
    Path chainFile = ChainEndpoint.DEFAULT_FILE;

    private final CountDownLatch stop = new CountDownLatch(1);
    private volatile ChainEndpoint endpoint;

    public ChainUpCommand() {
    }

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) {
            throw new UserInputException("--port " + port + " is not a TCP port: give 1 to 65535, or 0 for any free one");
        }
        if (!(blockTimeSeconds >= 0) || blockTimeSeconds > 3600) {
            throw new UserInputException("--block-time " + blockTimeSeconds + " must be between 0 (off) and 3600 seconds");
        }
        if (tempo < 1 || tempo > 65_535) {
            throw new UserInputException("--tempo " + tempo + " must be between 1 and 65535 blocks (with 0 the subnet's"
                    + " epoch would never run)");
        }
        if (accounts < 1 || accounts > 1000) {
            throw new UserInputException("--accounts " + accounts + " must be between 1 and 1000 (account #0 owns the subnet)");
        }
        BigInteger lockRao = networkLockCost == null ? null : networkLockRao(networkLockCost);
        checkChainFile();
        refuseChainStillRunning();
        PrintWriter out = spec.commandLine().getOut();
        Hyperparameters hyperparameters = Hyperparameters.localDevelopment(tempo)
                .with("commitRevealEnabled", Boolean.toString(commitReveal));
        try (LocalChain chain = startChain()) {
            DevAccount owner = chain.devAccount(0);
            ClientOptions options = ClientOptions.localChain(chain.chainId());
            String contract = Web3jSubnetChain.deploy(chain.rpcUrl(), owner.credentials(), options);
            int netuid;
            BigInteger lockPaid;
            try (Web3jSubnetChain client = Web3jSubnetChain.local(chain.rpcUrl(), contract, owner.credentials(), options)) {
                if (lockRao != null) {
                    client.setNetworkLockCost(lockRao);
                }
                lockPaid = client.networkLockCost();
                netuid = client.createSubnet(hyperparameters);
            }
            ChainEndpoint written = new ChainEndpoint(chain.rpcUrl(), contract, chain.chainId(), netuid,
                    ProcessHandle.current().pid(), chain.pid());
            written.write(chainFile);
            Thread cleanup = new Thread(() -> deleteIfOurs(written), "chain-up-cleanup");
            Runtime.getRuntime().addShutdownHook(cleanup);
            endpoint = written;
            print(out, chain, written, hyperparameters, lockPaid);
            try (Web3jSubnetChain epochSigner = blockTimeSeconds > 0
                    ? Web3jSubnetChain.local(chain.rpcUrl(), contract, epochKey(chain), options) : null;
                 BlockClock clock = epochSigner != null ? BlockClock.start(chain, epochSigner, netuid, blockTime(), line -> {
                     out.println(line);
                     out.flush();
                 }) : null) {
                stop.await();
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(cleanup);
                } catch (IllegalStateException shuttingDown) {
                    // Ctrl-C: the hook deletes the file.
                }
                deleteIfOurs(written);
            }
        }
        return 0;
    }

    /** The library's message for a taken port cannot name this command's option for it. */
    private LocalChain startChain() {
        try {
            return LocalChain.start(LocalChainOptions.defaults().withAccounts(accounts).withPort(port));
        } catch (LocalChainException e) {
            if (e.portInUse().isPresent()) {
                throw new UserInputException("loopback port " + port + " is already in use (another local chain?): stop"
                        + " what listens there, or give this chain another port with --port (0 picks a free one)", e);
            }
            throw e;
        }
    }

    private Duration blockTime() {
        return Duration.ofNanos(Math.round(blockTimeSeconds * 1e9));
    }

    /** A funded key none of the printed dev accounts is, so the epochs never take a nonce a user's key is about to use. */
    private static Credentials epochKey(LocalChain chain) throws java.security.GeneralSecurityException {
        Credentials key = Credentials.create(Keys.createEcKeyPair());
        chain.setBalance(key.getAddress(), BigInteger.TEN.pow(22));
        return key;
    }

    /** The contract keeps the cost as uint64 rao, so a larger one would wrap, and a fraction of a rao cannot be paid. */
    static BigInteger networkLockRao(BigDecimal tao) {
        BigDecimal rao = tao.movePointRight(9);
        if (rao.signum() < 0 || rao.stripTrailingZeros().scale() > 0) {
            throw new UserInputException("--network-lock-cost " + tao.toPlainString()
                    + " must be 0 or more TAO with at most 9 decimals (1 rao = 0.000000001 TAO)");
        }
        BigInteger exact = rao.toBigIntegerExact();
        if (exact.bitLength() > 64) {
            throw new UserInputException("--network-lock-cost " + tao.toPlainString() + " is more than the contract can hold:"
                    + " give at most " + ChainStatusCommand.exactTokens(UINT64_MAX) + " TAO (2^64 - 1 rao)");
        }
        return exact;
    }

    private void print(PrintWriter out, LocalChain chain, ChainEndpoint at, Hyperparameters hyperparameters, BigInteger lockRao) {
        out.println("Local chain is up (Anvil pid " + chain.pid() + ")");
        out.println("  RPC URL        " + at.rpcUrl());
        out.println("  chain id       " + at.chainId());
        out.println("  contract       " + at.contract());
        out.println("  netuid         " + at.netuid() + " (tempo " + hyperparameters.tempo() + ", commit-reveal "
                + (hyperparameters.commitRevealEnabled() ? "on" : "off") + ", loopback axons allowed)");
        out.println("  network lock   " + ChainStatusCommand.exactTokens(lockRao) + " TAO (" + lockRao + " rao): what creating a subnet costs;"
                + " account #0 paid it for netuid " + at.netuid());
        out.println("  endpoint file  " + chainFile.toAbsolutePath());
        out.println("Dev accounts (well-known test keys: use them on this local chain only):");
        for (DevAccount account : chain.devAccounts()) {
            out.println("  #" + account.index() + "  " + account.address() + "  " + account.privateKey()
                    + (account.index() == 0 ? "  (subnet owner)" : ""));
        }
        out.println("Sign as one of them with: export CHORUS_PRIVATE_KEY=<private key>");
        out.println("Point a validator or miner here with: --set chain.rpc_url=" + at.rpcUrl() + " --set chain.contract_address="
                + at.contract() + " --set chain.netuid=" + at.netuid() + " --set chain.chain_id=" + at.chainId());
        out.println(blockTimeSeconds > 0
                ? "A block every " + BigDecimal.valueOf(blockTimeSeconds).stripTrailingZeros().toPlainString()
                        + " s; the subnet's epoch runs whenever it is due (every " + hyperparameters.tempo() + " blocks)."
                : "Blocks only when a transaction arrives; run epochs with: chorus chain epoch");
        out.println("Press Ctrl-C to stop.");
        out.flush();
    }

    /** The endpoint once the chain is up and the subnet exists; null before. */
    ChainEndpoint endpoint() {
        return endpoint;
    }

    /** Ends {@link #call} as Ctrl-C would (used by tests driving the command in-process). */
    void requestStop() {
        stop.countDown();
    }

    /**
     * Found only now, the file would be written after Anvil had started and the contract was deployed: a wrong path
     * would cost all of that, and leave the user a chain nothing can find.
     */
    private void checkChainFile() {
        Path file = chainFile.toAbsolutePath();
        if (Files.isDirectory(file)) {
            throw new UserInputException("--chain-file " + chainFile + " is a folder; give a file path, e.g. "
                    + file.resolve("local-chain.json"));
        }
        Path folder = file.getParent();
        while (folder != null && !Files.exists(folder)) {
            folder = folder.getParent();
        }
        if (folder == null || !Files.isDirectory(folder)) {
            throw new UserInputException("--chain-file " + chainFile + " cannot be created: " + folder
                    + " is a file, not a folder; give a path inside a folder");
        }
        if (!Files.isWritable(folder)) {
            throw new UserInputException("--chain-file " + chainFile + " cannot be created: this user may not write in "
                    + folder + "; give --chain-file a path this user can write");
        }
    }

    /**
     * A second {@code chain up} on the same file would point every other command at the new chain, and delete the
     * file on exit while the first chain still runs.
     */
    private void refuseChainStillRunning() throws InterruptedException {
        if (!Files.isRegularFile(chainFile)) {
            return;
        }
        ChainEndpoint previous;
        try {
            previous = ChainEndpoint.read(chainFile);
        } catch (UserInputException unreadable) {
            return; // nothing can use it: this chain's endpoint replaces it
        }
        if (LocalChain.answers(previous.rpcUrl())) {
            throw new UserInputException(stillAnswering(previous, chainFile, ChainUpCommand::running));
        }
    }

    /** What {@link #stillAnswering} needs to know of a process. */
    @FunctionalInterface
    interface ProcessView {
        /** The file name of the executable {@code pid} runs ("" when this user may not see it); empty when no such process runs. */
        Optional<String> running(long pid);
    }

    /**
     * Why the chain named by {@code previous}, which answers at its URL, blocks a new one, and what to do: the
     * {@code chain up} that wrote the file still runs; or it is gone (killed, crashed) and left its Anvil serving with
     * no blocks or epochs; or neither process the file names runs, and something else has the port.
     */
    static String stillAnswering(ChainEndpoint previous, Path file, ProcessView processes) {
        String url = RedactedUrl.of(previous.rpcUrl());
        String named = "the endpoint file " + file.toAbsolutePath();
        String orOwnFile = ", or run this chain beside it with a file and a port of its own: --chain-file FILE --port 0";
        Long upPid = previous.chainUpPid();
        Long anvilPid = previous.anvilPid();
        // A pid can be reused once its process is gone: only a java (for chain up) or an anvil counts as the one recorded.
        boolean upRuns = upPid != null && processes.running(upPid).filter(c -> c.isEmpty() || c.startsWith("java")).isPresent();
        boolean anvilRuns = anvilPid != null && processes.running(anvilPid).filter(c -> c.isEmpty() || c.equals("anvil")).isPresent();
        if (upRuns) {
            return "another `chorus chain up` (pid " + upPid + ") is still running at " + url + " and uses " + named
                    + "; stop it first (Ctrl-C where it runs, or `kill " + upPid + "`)" + orOwnFile;
        }
        if (anvilRuns) {
            return "a leftover Anvil (pid " + anvilPid + ") still answers at " + url + ", named by " + named
                    + ", but the `chorus chain up` that started it" + (upPid == null ? "" : " (pid " + upPid + ")")
                    + " is gone, so nothing makes its blocks and epochs; stop it with `kill " + anvilPid + "`" + orOwnFile;
        }
        String recorded = upPid == null && anvilPid == null
                ? "the file names no process (an older chorus wrote it)"
                : "the processes the file names (chain up pid " + upPid + ", Anvil pid " + anvilPid + ") are gone";
        return "something answers at " + url + ", named by " + named + ", but no running `chorus chain up` owns it: "
                + recorded + "; find what listens there with `ss -ltnp 'sport = :" + port(previous.rpcUrl())
                + "'` and stop it" + orOwnFile;
    }

    private static String port(String url) {
        try {
            URI uri = URI.create(url);
            return uri.getPort() >= 0 ? Integer.toString(uri.getPort()) : "https".equalsIgnoreCase(uri.getScheme()) ? "443" : "80";
        } catch (IllegalArgumentException unparsable) {
            return "PORT";
        }
    }

    /** The executable's file name of a running process, as {@link ProcessView#running}; a zombie does not run. */
    private static Optional<String> running(long pid) {
        Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (process.isEmpty() || zombie(pid)) {
            return Optional.empty();
        }
        return Optional.of(process.get().info().command().map(c -> String.valueOf(Path.of(c).getFileName())).orElse(""));
    }

    /** ProcessHandle counts a zombie (exited, not yet reaped: under a PID 1 that does not reap, for ever) as alive. */
    private static boolean zombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 1).strip().startsWith("Z");
        } catch (IOException | RuntimeException unreadable) {
            return false;
        }
    }

    /**
     * Deletes the endpoint file unless it now names another chain: one started while this one did not answer took
     * the file over, and still needs it.
     */
    private void deleteIfOurs(ChainEndpoint ours) {
        try {
            if (ours.equals(ChainEndpoint.read(chainFile))) {
                Files.deleteIfExists(chainFile);
            }
        } catch (UserInputException | IOException ignored) {
            // The file only points at a chain that is gone; a stale one is reported by the next command.
        }
    }
}
