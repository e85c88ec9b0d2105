package dev.chorus.chain.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.Bip32ECKeyPair;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.MnemonicUtils;
import org.web3j.utils.Numeric;

/**
 * Anvil run as a child process on a free loopback port. {@link #start} returns once the node answers
 * JSON-RPC; {@link #close} (or JVM shutdown) stops it and every process it spawned. Should this JVM die without
 * running its shutdown hooks (SIGKILL, a crash), Anvil stops too: see {@link #ORPHAN_WATCHDOG}.
 */
public final class LocalChain implements AutoCloseable {

    /** Environment variable naming the Anvil executable, overriding the chain module's node_modules. */
    public static final String ANVIL_ENV = "CHORUS_ANVIL";
    /** The mnemonic Anvil derives its dev accounts from. */
    public static final String DEV_MNEMONIC = "test test test test test test test test test test test junk";

    static final String INSTALL_HINT = "install it with `npm ci --prefix chain` from the repository root "
            + "(the Maven build of the chain module does this too), or point " + ANVIL_ENV + " at an anvil binary";
    private static final Path PACKAGED_BINARY = Path.of("node_modules", "@foundry-rs", "anvil-linux-amd64", "bin", "anvil");
    private static final Logger LOG = LoggerFactory.getLogger(LocalChain.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int START_ATTEMPTS = 3;
    /**
     * Runs Anvil ({@code $0}, with its arguments) so that it cannot outlive this JVM, however the JVM ends. The
     * shutdown hook does not run on SIGKILL or a crash, and Java cannot ask Linux for PR_SET_PDEATHSIG, so Anvil
     * would be left serving under PID 1. Instead, a background watchdog keeps the read end of the stdin pipe this
     * JVM holds (and never writes to); the kernel closes the JVM's end when the JVM exits, any way it exits, the
     * watchdog's {@code read} then ends, and it sends Anvil SIGTERM. The shell execs Anvil, so Anvil keeps the
     * shell's pid: {@link #pid} is Anvil's, and the watchdog knows it as {@code $$}. The watchdog is Anvil's child;
     * once Anvil has exited (and its pid may be reused) the watchdog has another parent and kills nothing. Anvil
     * gets /dev/null as stdin.
     */
    static final String ORPHAN_WATCHDOG = """
            exec 3<&0 </dev/null
            ( read -r _ <&3
              read -r _ _ _ parent _ </proc/self/stat
              [ "$parent" = "$$" ] && kill -TERM "$$" ) &
            exec "$0" "$@" 3<&-
            """;

    private final Process process;
    private final Path logFile;
    private final String rpcUrl;
    private final long chainId;
    private final List<DevAccount> accounts;
    private final HttpClient http;
    private final Thread shutdownHook;
    private volatile boolean closed;

    private LocalChain(Process process, Path logFile, String rpcUrl, long chainId, List<DevAccount> accounts, HttpClient http) {
        this.process = process;
        this.logFile = logFile;
        this.rpcUrl = rpcUrl;
        this.chainId = chainId;
        this.accounts = accounts;
        this.http = http;
        this.shutdownHook = new Thread(this::stopProcess, "local-chain-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    public static LocalChain start() {
        return start(LocalChainOptions.defaults());
    }

    public static LocalChain start(LocalChainOptions options) {
        Path binary = locateAnvil(options.anvilBinary(), Optional.ofNullable(System.getenv(ANVIL_ENV)), Path.of("").toAbsolutePath());
        List<DevAccount> accounts = deriveDevAccounts(options.accounts());
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        LocalChainException last = null;
        // A probed free port can be taken before Anvil binds it; a fresh port on the next attempt fixes that.
        int attempts = options.port() == 0 ? START_ATTEMPTS : 1;
        try {
            for (int attempt = 1; attempt <= attempts; attempt++) {
                try {
                    return launch(binary, options, accounts, http, options.port() == 0 ? freePort() : requireFree(options.port()));
                } catch (LocalChainException e) {
                    last = e;
                    LOG.debug("local chain start attempt {} failed: {}", attempt, e.getMessage());
                    if (Thread.currentThread().isInterrupted()) {
                        break; // the caller is stopping: another Anvil would only be started to be killed
                    }
                }
            }
        } catch (RuntimeException e) {
            http.close();
            throw e;
        }
        http.close();
        throw last;
    }

    /** Starts Anvil on {@code port}; the chain owns {@code http} once started, and a failed launch leaves it open for the caller. */
    static LocalChain launch(Path binary, LocalChainOptions options, List<DevAccount> accounts, HttpClient http, int port) {
        Path log;
        try {
            log = Files.createTempFile("chorus-anvil-", ".log");
        } catch (IOException e) {
            throw new LocalChainException("cannot create a log file for Anvil in " + System.getProperty("java.io.tmpdir"), e);
        }
        List<String> command = List.of(
                "/bin/sh", "-c", ORPHAN_WATCHDOG,
                binary.toString(),
                "--host", "127.0.0.1",
                "--port", Integer.toString(port),
                "--chain-id", Long.toString(options.chainId()),
                "--accounts", Integer.toString(options.accounts()),
                "--balance", Long.toString(options.balanceEther()),
                "--gas-limit", Long.toString(options.blockGasLimit()),
                "--disable-code-size-limit",
                "--mnemonic", DEV_MNEMONIC);
        Process process;
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
        } catch (IOException e) {
            throw new LocalChainException("cannot run Anvil at " + binary + ": " + e.getMessage() + "; " + INSTALL_HINT, e);
        }
        String url = "http://127.0.0.1:" + port;
        LocalChain chain = new LocalChain(process, log, url, options.chainId(), accounts, http);
        try {
            chain.awaitReady(options.startTimeout(), port);
            LOG.info("local chain up at {} (chain id {}, pid {})", url, options.chainId(), process.pid());
            return chain;
        } catch (RuntimeException e) {
            // The client stays open: start() retries with it on another port, and closes it once no attempt is left.
            chain.stopWithoutClient();
            throw e;
        }
    }

    /**
     * Waits until our Anvil says it listens on {@code port}, then until it answers. Another process can take the
     * probed port first; a reply alone could then be that process's (another Anvil reports the same chain id), while
     * ours has exited unable to bind.
     */
    private void awaitReady(Duration timeout, int port) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String listening = "Listening on 127.0.0.1:" + port;
        while (true) {
            if (!process.isAlive()) {
                throw new LocalChainException("Anvil exited with status " + process.exitValue() + " before answering: " + logTail());
            }
            if (logShows(listening)) {
                try {
                    long reported = Numeric.toBigInt(rpc("eth_chainId").asText()).longValueExact();
                    if (reported != chainId) {
                        throw new LocalChainException("Anvil reports chain id " + reported + " but " + chainId + " was requested");
                    }
                    return;
                } catch (IOException notYet) {
                    LOG.trace("Anvil listens but does not answer yet: {}", notYet.getMessage());
                }
            }
            if (System.nanoTime() > deadline) {
                throw new LocalChainException("Anvil did not answer JSON-RPC at " + rpcUrl + " within " + timeout + ": " + logTail());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LocalChainException("interrupted while waiting for Anvil to start", e);
            }
        }
    }

    private boolean logShows(String line) {
        try {
            return Files.readString(logFile).contains(line);
        } catch (IOException unreadable) {
            return false;
        }
    }

    /** Finds the Anvil executable: the explicit path, then {@code CHORUS_ANVIL}, then node_modules near the working directory. */
    static Path locateAnvil(Optional<Path> explicit, Optional<String> fromEnvironment, Path workingDirectory) {
        if (explicit.isPresent()) {
            return requireExecutable(explicit.get(), "the configured anvil path");
        }
        if (fromEnvironment.isPresent() && !fromEnvironment.get().isBlank()) {
            return requireExecutable(Path.of(fromEnvironment.get()), ANVIL_ENV);
        }
        List<Path> looked = new ArrayList<>();
        for (Path dir = workingDirectory; dir != null; dir = dir.getParent()) {
            for (Path candidate : List.of(dir.resolve("chain").resolve(PACKAGED_BINARY), dir.resolve(PACKAGED_BINARY))) {
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
                looked.add(candidate);
            }
        }
        throw new LocalChainException("Anvil is not installed: no executable at " + looked.getFirst() + " (nor in any parent directory); " + INSTALL_HINT);
    }

    private static Path requireExecutable(Path path, String source) {
        if (!Files.isExecutable(path)) {
            throw new LocalChainException("Anvil named by " + source + " is not an executable file: " + path + "; " + INSTALL_HINT);
        }
        return path;
    }

    /** Anvil's dev accounts: BIP-44 path m/44'/60'/0'/0/i from {@link #DEV_MNEMONIC}. */
    public static List<DevAccount> deriveDevAccounts(int count) {
        Bip32ECKeyPair master = Bip32ECKeyPair.generateKeyPair(MnemonicUtils.generateSeed(DEV_MNEMONIC, ""));
        int hardened = Bip32ECKeyPair.HARDENED_BIT;
        Bip32ECKeyPair parent = Bip32ECKeyPair.deriveKeyPair(master, new int[] {44 | hardened, 60 | hardened, hardened, 0});
        List<DevAccount> accounts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Credentials credentials = Credentials.create(Bip32ECKeyPair.deriveKeyPair(parent, new int[] {i}));
            String key = Numeric.toHexStringWithPrefixZeroPadded(credentials.getEcKeyPair().getPrivateKey(), 64);
            accounts.add(new DevAccount(i, credentials.getAddress(), key));
        }
        return List.copyOf(accounts);
    }

    public String rpcUrl() {
        return rpcUrl;
    }

    public long chainId() {
        return chainId;
    }

    public List<DevAccount> devAccounts() {
        return accounts;
    }

    public DevAccount devAccount(int index) {
        return accounts.get(index);
    }

    /**
     * Whether a JSON-RPC node answers {@code eth_chainId} at {@code rpcUrl} within 2 s, whatever it answers: a node
     * that errors still holds the port. False for a URL that does not parse.
     */
    public static boolean answers(String rpcUrl) throws InterruptedException {
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            http.send(HttpRequest.newBuilder(URI.create(rpcUrl)).timeout(Duration.ofSeconds(2))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_chainId\",\"params\":[]}"))
                    .build(), HttpResponse.BodyHandlers.discarding());
            return true;
        } catch (IOException | IllegalArgumentException gone) {
            return false;
        }
    }

    /** Anvil's process id (the shell that starts it execs it, see {@link #ORPHAN_WATCHDOG}). */
    public long pid() {
        return process.pid();
    }

    /** Mines {@code blocks} empty blocks at once (anvil_mine), e.g. to pass a rate limit or reach an epoch. */
    public void mine(long blocks) {
        call("anvil_mine", Numeric.encodeQuantity(BigInteger.valueOf(blocks)));
    }

    /**
     * Replaces the last {@code depth} blocks with as many empty ones (anvil_reorg): the transactions they held are
     * gone from the chain and from the pool, as after a reorg whose winning branch never saw them.
     */
    public void reorg(long depth) {
        call("anvil_reorg", depth, List.of());
    }

    /** Turns Anvil's mine-on-arrival off (transactions wait in the pool until {@link #mine}) or back on. */
    public void setAutomine(boolean enabled) {
        call("evm_setAutomine", enabled);
    }

    /**
     * Sets the next block's base fee (anvil_setNextBlockBaseFeePerGas), as a fee spike would: transactions whose fee
     * cap falls below it stay in the pool unmined.
     */
    public void setNextBaseFee(BigInteger wei) {
        call("anvil_setNextBlockBaseFeePerGas", Numeric.encodeQuantity(wei));
    }

    /**
     * Removes a transaction from the pool (anvil_dropTransaction), as an evicting or restarted node would: it can
     * no longer land, and its nonce is free again.
     */
    public void dropTransaction(String txHash) {
        call("anvil_dropTransaction", txHash);
    }

    /** Transactions waiting in Anvil's pool (txpool_status), e.g. while automine is off. */
    public int pendingTransactions() {
        return Numeric.toBigInt(call("txpool_status").get("pending").asText()).intValueExact();
    }

    /** Sets an account's balance (anvil_setBalance), for accounts beyond the derived dev keys. */
    public void setBalance(String address, BigInteger wei) {
        call("anvil_setBalance", address, Numeric.encodeQuantity(wei));
    }

    /** Gas used by all transactions of the latest block. */
    public long lastBlockGasUsed() {
        return Numeric.toBigInt(call("eth_getBlockByNumber", "latest", false).get("gasUsed").asText()).longValueExact();
    }

    public long blockNumber() {
        return Numeric.toBigInt(call("eth_blockNumber").asText()).longValueExact();
    }

    private JsonNode call(String method, Object... params) {
        try {
            return rpc(method, params);
        } catch (IOException e) {
            throw new LocalChainException(method + " failed on the local chain at " + rpcUrl + ": " + e.getMessage(), e);
        }
    }

    private JsonNode rpc(String method, Object... params) throws IOException {
        String body = JSON.writeValueAsString(Map.of("jsonrpc", "2.0", "id", 1, "method", method, "params", List.of(params)));
        HttpRequest request = HttpRequest.newBuilder(URI.create(rpcUrl))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            JsonNode reply = JSON.readTree(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
            if (reply.has("error")) {
                throw new LocalChainException(method + " was refused by Anvil: " + reply.get("error"));
            }
            return reply.get("result");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new LocalChainException("no free loopback port for Anvil: " + e.getMessage(), e);
        }
    }

    private static int requireFree(int port) {
        try (ServerSocket probe = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            return port;
        } catch (IOException inUse) {
            throw LocalChainException.portInUse(port, inUse);
        }
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no Anvil output: " + e.getMessage() + ")";
        }
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        stopWithoutClient();
        http.close();
    }

    /** Stops Anvil and drops its shutdown hook, leaving the HTTP client, which a failed launch was lent, open. */
    private void stopWithoutClient() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running or about to; it stops the process itself.
        }
        stopProcess();
    }

    private synchronized void stopProcess() {
        if (closed) {
            return;
        }
        closed = true;
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Files.deleteIfExists(logFile);
        } catch (IOException e) {
            LOG.debug("could not delete {}", logFile, e);
        }
    }
}
