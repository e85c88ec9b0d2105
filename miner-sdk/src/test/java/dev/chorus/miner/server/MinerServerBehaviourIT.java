package dev.chorus.miner.server;

import ch.qos.logback.classic.Level;
import dev.chorus.chain.Metagraph;
import dev.chorus.chain.Neuron;
import dev.chorus.config.ConfigLoader;
import dev.chorus.config.MinerConfig;
import dev.chorus.config.MinerServerSettings;
import dev.chorus.miner.protocol.Hotkey;
import dev.chorus.miner.protocol.QueryRequest;
import dev.chorus.miner.testing.LogCapture;
import dev.chorus.miner.testing.Probe;
import dev.chorus.miner.testing.SubnetFixture;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Chain outages, deadlines, back-pressure, late replays, async miners and metrics, on real loopback HTTP. */
class MinerServerBehaviourIT {

    private static final Hotkey MINER = Hotkey.random();
    private static final Hotkey VALIDATOR = Hotkey.random();
    private static final Hotkey FLOODER = Hotkey.random();
    /** What a failed read of the miner's node says: its address, which only the operator may see. */
    private static final String CHAIN_ERROR = "Failed to connect to http://10.20.30.40:8545";
    /** Long enough for a request head to be checked on a busy two-core machine, well inside the 5 s body deadline. */
    private static final long HEADS_CHECKED_MS = 1_000;

    private final AtomicBoolean chainDown = new AtomicBoolean();
    /** How far the server's clock runs ahead of the real one: ages the metagraph without sleeping. */
    private final AtomicLong clockAheadMs = new AtomicLong();
    private Metagraph metagraph;
    private Vertx vertx;
    private MinerServer server;
    private Probe probe;

    @BeforeEach
    void subnet() {
        vertx = Vertx.vertx();
        SubnetFixture subnet = new SubnetFixture();
        subnet.validator(VALIDATOR, 1_000);
        subnet.validator(FLOODER, 1_000);
        subnet.miner(MINER, 1);
        metagraph = subnet.metagraph();
    }

    @AfterEach
    void stop() {
        if (probe != null) {
            probe.close();
        }
        if (server != null) {
            server.close().await();
        }
        vertx.close().await();
    }

    private void start(MinerServerSettings settings, Miner miner) {
        server = MinerServer.builder().vertx(vertx).hotkey(MINER).netuid(SubnetFixture.NETUID)
                .clock(() -> Instant.now().plusMillis(clockAheadMs.get()))
                .metagraph(this::readChain).options(settings).miner(miner).start().await();
        probe = new Probe(vertx, server.port());
    }

    private Metagraph readChain() throws IOException {
        if (chainDown.get()) {
            throw new IOException(CHAIN_ERROR);
        }
        return metagraph;
    }

    /** A miner that says when a query reached it, then answers {@code answer} once {@code release} opens. */
    private static Miner heldUntil(CountDownLatch entered, CountDownLatch release, String answer) {
        return query -> {
            entered.countDown();
            release.await(20, TimeUnit.SECONDS);
            return answer;
        };
    }

    /** On its own thread: the common pool has a single thread on a two-core machine and may be busy. */
    private static <T> CompletableFuture<T> inBackground(java.util.function.Supplier<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                result.complete(task.get());
            } catch (RuntimeException | Error e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    private static MinerServerSettings settings(int concurrency, int queued, Duration staleness) {
        return new MinerServerSettings("127.0.0.1", 0, "127.0.0.1", 64 * 1024, Duration.ofSeconds(8), 1_000, 0,
                1_000, concurrency, staleness, true, 1_000, queued, Duration.ofSeconds(10), Duration.ofSeconds(2),
                256, 1_024, 1_024, Duration.ofSeconds(30), 0);
    }

    @Test
    void aPortAlreadyTakenFailsTheStartWithTheAddressAndTheSettingToChange() {
        start(settings(2, 0, Duration.ofMinutes(1)), query -> "first");
        int taken = server.port();
        MinerServerSettings same = new MinerServerSettings("127.0.0.1", taken, "127.0.0.1", 64 * 1024,
                Duration.ofSeconds(8), 1_000, 0, 1_000, 2, Duration.ofMinutes(1), true, 1_000, 0, Duration.ofSeconds(10),
                Duration.ofSeconds(2), 256, 1_024, 1_024, Duration.ofSeconds(30), 0);
        assertThatThrownBy(() -> MinerServer.builder().vertx(vertx).hotkey(MINER).netuid(SubnetFixture.NETUID)
                .metagraph(this::readChain).options(same).miner(query -> "second").start().await())
                .hasMessageContaining("cannot listen on 127.0.0.1:" + taken)
                .hasMessageContaining("server.port");
        assertThat(probe.send(Probe.signedNow(VALIDATOR, MINER.address())).status()).as("the first server still answers")
                .isEqualTo(200);
    }

    private static MinerServerSettings connectionLimits(int total, int perNetwork, Duration headerReadTimeout) {
        return new MinerServerSettings("127.0.0.1", 0, "127.0.0.1", 64 * 1024, Duration.ofSeconds(8), 1_000, 0, 1_000,
                4, Duration.ofMinutes(10), true, 1_000, 4, Duration.ofSeconds(10), Duration.ofSeconds(2), 256, total,
                perNetwork, headerReadTimeout, 0);
    }

    /** A miner closing idle connections before validators do would race their next query; its operator is told. */
    @ParameterizedTest
    @CsvSource({"10, true", "20, true", "30, false"})
    void aMinerThatDropsIdleConnectionsBeforeValidatorsDoIsWarnedAtStart(int seconds, boolean warned) throws Exception {
        try (LogCapture log = new LogCapture()) {
            start(connectionLimits(1_024, 1_024, Duration.ofSeconds(seconds)), query -> "ok");
            assertThat(log.lines(Level.WARN)).as("warnings")
                    .filteredOn(line -> line.contains("server.header_read_timeout (" + seconds + ".0 s)")
                            && line.contains("validators keep theirs for 20 s"))
                    .hasSize(warned ? 1 : 0);
        }
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource({"2, 1024, max_connections, max_connections_per_network",
            "1024, 2, max_connections_per_network, max_connections"})
    void connectionsPastALimitAreClosedAndFreedSlotsServeAgain(int total, int perNetwork, String reached, String other)
            throws Exception {
        start(connectionLimits(total, perNetwork, Duration.ofSeconds(30)), query -> "ok");
        try (Socket first = new Socket("127.0.0.1", server.port()); Socket second = new Socket("127.0.0.1", server.port());
             Socket third = new Socket("127.0.0.1", server.port())) {
            assertClosedByServer(third, "the third connection, past the limit of 2");
            assertThat(liveOn(second)).isEqualTo(200);
            first.close();
            Integer status = null;
            for (long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5); status == null && System.nanoTime() < until; ) {
                try (Socket again = new Socket("127.0.0.1", server.port())) {
                    status = liveOn(again);
                } catch (IOException refusedYet) {
                    TimeUnit.MILLISECONDS.sleep(50);
                }
            }
            assertThat(status).as("a connection once the first closed").isEqualTo(200);
        }
        assertThat(refusedConnections(reached)).isPositive();
        assertThat(refusedConnections(other)).isZero();
    }

    @Test
    void aNetworkAtItsConnectionLimitLeavesRoomForAValidatorFromAnother() throws Exception {
        InetAddress otherNetwork = InetAddress.getByName("127.0.0.2");
        assumeTrue(canBind(otherNetwork), "127.0.0.2 is not an address of this machine's loopback interface");
        start(connectionLimits(1_024, 2, Duration.ofSeconds(30)), query -> "ok");
        try (Socket first = new Socket("127.0.0.1", server.port()); Socket second = new Socket("127.0.0.1", server.port());
             Socket third = new Socket("127.0.0.1", server.port());
             Socket validator = new Socket("127.0.0.1", server.port(), otherNetwork, 0)) {
            assertClosedByServer(third, "the third connection from 127.0.0.1");
            assertThat(queryOn(validator, Probe.signedNow(VALIDATOR, MINER.address()))).as("a query from 127.0.0.2")
                    .isEqualTo(200);
        }
    }

    @ParameterizedTest(name = "after an answer on it: {0}")
    @ValueSource(booleans = {false, true})
    void aConnectionTricklingARequestHeadIsClosedAtTheDeadlineWhileAValidatorIsServed(boolean afterAnAnswer)
            throws Exception {
        Duration deadline = Duration.ofSeconds(1);
        start(connectionLimits(1_024, 1_024, deadline), query -> "ok");
        byte[] head = Probe.head(Probe.signedNow(VALIDATOR, MINER.address()));
        // Taken before the connection opens and before any answer on it: the server starts the deadline on accepting
        // it and again once the answer is sent, both after this, so closing sooner than the deadline would be a bug.
        long from = System.nanoTime();
        try (Socket slow = new Socket("127.0.0.1", server.port())) {
            if (afterAnAnswer) {
                assertThat(liveOn(slow)).isEqualTo(200);
            }
            // Waiting for the server to close the socket paces the trickle: one byte every half deadline.
            slow.setSoTimeout((int) deadline.toMillis() / 2);
            Probe.Reply validator = null;
            boolean closed = false;
            for (int i = 0; !closed && System.nanoTime() - from < deadline.multipliedBy(6).toNanos(); i++) {
                closed = !wrote(slow, head[i]) || closedByServer(slow);
                if (i == 1) {
                    validator = probe.send(Probe.signedNow(VALIDATOR, MINER.address()));
                }
            }
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - from);

            assertThat(closed).as("closed while its head trickled in for %d ms", tookMs).isTrue();
            assertThat(tookMs).as("ms until the server closed it").isBetween(deadline.toMillis(),
                    deadline.toMillis() + 2_000);
            assertThat(validator).as("a validator's query meanwhile").isNotNull()
                    .extracting(Probe.Reply::status).isEqualTo(200);
        }
    }

    @Test
    void aConnectionThatSendsItsRequestsPromptlyIsKeptPastTheDeadline() throws Exception {
        Duration deadline = Duration.ofSeconds(1);
        start(connectionLimits(1_024, 1_024, deadline), query -> "ok");
        // Signed up front: signing inside the loop would eat into the gap between requests that is being timed.
        List<Probe.Draft> queries = List.of(Probe.signedNow(VALIDATOR, MINER.address()),
                Probe.signedNow(VALIDATOR, MINER.address()), Probe.signedNow(VALIDATOR, MINER.address()));
        try (Socket kept = new Socket("127.0.0.1", server.port())) {
            for (int i = 0; i < 6; i++) {
                int status = i % 2 == 0 ? liveOn(kept) : queryOn(kept, queries.get(i / 2));
                assertThat(status).as("request %d on one connection", i).isEqualTo(200);
                // Six quarter-deadline gaps outlast the deadline, and each leaves three quarters of it for the next head.
                TimeUnit.MILLISECONDS.sleep(deadline.toMillis() / 4);
            }
        }
    }

    private static boolean wrote(Socket socket, byte b) {
        try {
            socket.getOutputStream().write(b);
            return true;
        } catch (IOException closed) {
            return false;
        }
    }

    /** Whether the server closed the socket before the socket's read timeout passed. */
    private static boolean closedByServer(Socket socket) throws IOException {
        try {
            assertThat(socket.getInputStream().read()).as("what the server sent").isEqualTo(-1);
            return true;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (SocketException reset) {
            return true;
        }
    }

    private static boolean canBind(InetAddress address) {
        try (ServerSocket bound = new ServerSocket(0, 1, address)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private double refusedConnections(String limit) {
        return server.registry().get("chorus.miner.connections.refused").tag("limit", limit).counter().count();
    }

    private static void assertClosedByServer(Socket socket, String which) throws IOException {
        socket.setSoTimeout(5_000);
        assertThat(socket.getInputStream().read()).as(which).isEqualTo(-1);
    }

    /** Status of GET /health/live sent on {@code socket}, or an IOException when the server closed it. */
    private static int liveOn(Socket socket) throws IOException {
        return exchangeOn(socket, "GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
    }

    /** Status of the signed query sent on {@code socket}, or an IOException when the server closed it. */
    private static int queryOn(Socket socket, Probe.Draft draft) throws IOException {
        byte[] head = Probe.head(draft);
        byte[] request = Arrays.copyOf(head, head.length + draft.body.length);
        System.arraycopy(draft.body, 0, request, head.length, draft.body.length);
        return exchangeOn(socket, request);
    }

    /** Sends {@code request} and reads exactly its response, so the socket can carry another; returns the status. */
    private static int exchangeOn(Socket socket, byte[] request) throws IOException {
        socket.setSoTimeout(5_000);
        socket.getOutputStream().write(request);
        return Probe.read(socket.getInputStream()).status();
    }

    @Test
    void startsWhileTheChainIsDownRefusesWith503AndServesOnceItReturns() {
        chainDown.set(true);
        try (LogCapture log = new LogCapture()) {
            start(settings(4, 4, Duration.ofMinutes(10)), query -> "ok");
            assertThat(log.lines(Level.WARN)).as("the chain's error, for the operator").singleElement().asString()
                    .contains(CHAIN_ERROR);
        }

        Probe.Reply refused = probe.send(Probe.signedNow(VALIDATOR, MINER.address()));
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.error()).isEqualTo(Rejection.METAGRAPH_UNAVAILABLE.name());
        assertThat(refused.reason()).as("no chain error on the wire").contains("has not read the metagraph")
                .doesNotContain(CHAIN_ERROR);
        Probe.Reply notReady = probe.get("/health/ready");
        assertThat(notReady.status()).isEqualTo(503);
        assertThat(notReady.reason()).as("no chain error for whoever asks").contains("has not read the metagraph")
                .doesNotContain(CHAIN_ERROR).doesNotContain("Exception");
        assertThat(probe.get("/health/live").status()).isEqualTo(200);

        chainDown.set(false);
        server.refreshMetagraph().await();
        assertThat(probe.send(Probe.signedNow(VALIDATOR, MINER.address())).status()).isEqualTo(200);
        assertThat(probe.get("/health/ready").status()).isEqualTo(200);
    }

    @Test
    void servesFromTheLastMetagraphDuringAnOutageThenRefusesPastTheStalenessLimit() {
        start(settings(4, 4, Duration.ofSeconds(4)), query -> "ok");
        chainDown.set(true);
        server.refreshMetagraph().await();
        assertThat(probe.send(Probe.signedNow(VALIDATOR, MINER.address())).status()).isEqualTo(200);

        // Past the 4 s staleness limit, still inside the 8 s timestamp window.
        clockAheadMs.set(5_000);

        Probe.Reply refused = probe.send(Probe.signedNow(VALIDATOR, MINER.address()));
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.reason()).contains("over its 4 s limit").doesNotContain(CHAIN_ERROR);
        Probe.Reply notReady = probe.get("/health/ready");
        assertThat(notReady.status()).isEqualTo(503);
        assertThat(notReady.reason()).contains("over its 4 s limit").doesNotContain(CHAIN_ERROR)
                .doesNotContain("Exception");
    }

    @Test
    void aValidatorSendingPastItsRateLimitDoesNotFillTheReplayCacheForTheOthers() {
        int cacheSize = 16;
        int burst = 2;
        start(new MinerServerSettings("127.0.0.1", 0, "127.0.0.1", 64 * 1024, Duration.ofSeconds(8), cacheSize, 0,
                0.01, 4, Duration.ofMinutes(10), true, burst, 4, Duration.ofSeconds(10), Duration.ofSeconds(2), 256,
                1_024, 1_024, Duration.ofSeconds(30), 0), query -> "ok");
        for (int i = 0; i < burst; i++) {
            assertThat(probe.send(Probe.signedNow(FLOODER, MINER.address())).status()).isEqualTo(200);
        }
        List<String> flood = new ArrayList<>();
        for (int i = 0; i < 2 * cacheSize; i++) {
            flood.add(probe.send(Probe.signedNow(FLOODER, MINER.address())).error());
        }

        Probe.Reply other = probe.send(Probe.signedNow(VALIDATOR, MINER.address()));

        assertThat(other.status()).as("another validator's query: %s", other.body()).isEqualTo(200);
        assertThat(flood).as("the flood past the burst").containsOnly(Rejection.RATE_LIMITED.name());
    }

    /** Settings for the late-replay tests: a body deadline (5 s) that outlasts the wait for the heads many times over. */
    private static MinerServerSettings slowBodies(double requestsPerSecond, int burst) {
        return new MinerServerSettings("127.0.0.1", 0, "127.0.0.1", 64 * 1024, Duration.ofSeconds(8), 1_000, 0,
                requestsPerSecond, 4, Duration.ofMinutes(10), true, burst, 4, Duration.ofSeconds(10),
                Duration.ofSeconds(5), 256, 1_024, 1_024, Duration.ofSeconds(30), 0);
    }

    /**
     * Sends the two heads once a query from another validator went through: the first request of a fresh server loads
     * classes, which on a busy machine can outlast the wait for the heads to be checked.
     */
    private void sendHeadsAfterAWarmUp(Probe.Draft draft, Socket... sockets) throws Exception {
        assertThat(probe.send(Probe.signedNow(FLOODER, MINER.address())).status()).as("warm-up query").isEqualTo(200);
        for (Socket socket : sockets) {
            socket.getOutputStream().write(Probe.head(draft));
        }
        TimeUnit.MILLISECONDS.sleep(HEADS_CHECKED_MS);
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", server.port());
        socket.setSoTimeout(10_000);
        return socket;
    }

    /** Sends the body, then reads the reply, which must come after the body was read: a refused head closes its connection. */
    private static Probe.Reply finish(Socket socket, Probe.Draft draft, String which) throws IOException {
        socket.getOutputStream().write(draft.body);
        Probe.Reply reply = Probe.read(socket.getInputStream());
        assertThat(reply.headers().get("connection")).as("%s was refused at its head: %s", which, reply.body())
                .isNotEqualToIgnoringCase("close");
        return reply;
    }

    /**
     * Two copies of one signed request whose heads both pass before either body is in, so that only the checks made
     * once the bodies arrive can stop the second. The bodies then come after the timestamp window, as a body may: it
     * has server.body_read_timeout to arrive.
     */
    @Test
    void copiesWhoseBodiesArriveAfterTheTimestampWindowAreRefusedAsStale() throws Exception {
        List<String> handled = new CopyOnWriteArrayList<>();
        start(slowBodies(1_000, 1_000), query -> {
            handled.add(query.queryId());
            return "ok";
        });
        Probe.Draft draft = Probe.signedNow(VALIDATOR, MINER.address());
        try (Socket first = connect(); Socket second = connect()) {
            sendHeadsAfterAWarmUp(draft, first, second);
            clockAheadMs.set(Duration.ofSeconds(9).toMillis());

            Probe.Reply one = finish(first, draft, "the first copy");
            Probe.Reply two = finish(second, draft, "the second copy");

            assertThat(one.error()).as("%s", one.body()).isEqualTo(Rejection.STALE_TIMESTAMP.name());
            assertThat(two.error()).as("%s", two.body()).isEqualTo(Rejection.STALE_TIMESTAMP.name());
            assertThat(handled).as("queries the handler ran").doesNotContain(draft.query.queryId());
        }
    }

    @Test
    void aCopyCaughtAfterItsBodyLeavesTheSignersRateTokensAlone() throws Exception {
        int burst = 2;
        start(slowBodies(0.01, burst), query -> "ok");
        Probe.Draft draft = Probe.signedNow(VALIDATOR, MINER.address());
        try (Socket original = connect(); Socket copy = connect()) {
            sendHeadsAfterAWarmUp(draft, original, copy);

            Probe.Reply answered = finish(original, draft, "the original");
            Probe.Reply replayed = finish(copy, draft, "the copy");

            assertThat(answered.status()).as("%s", answered.body()).isEqualTo(200);
            assertThat(replayed.error()).as("%s", replayed.body()).isEqualTo(Rejection.REPLAYED_UUID.name());
        }
        Probe.Reply next = probe.send(Probe.signedNow(VALIDATOR, MINER.address()));
        assertThat(next.status()).as("the validator's next query, its burst of %d less the original: %s", burst,
                next.body()).isEqualTo(200);
    }

    @Test
    void aModelSlowerThanTheIdleTimeoutOfOldStillAnswersOnItsConnection() {
        // a 200 ms body deadline once made a 1 s idle timeout, which closed the connection under a 2.5 s handler
        MinerServerSettings quickBodies = new MinerServerSettings("127.0.0.1", 0, "127.0.0.1", 64 * 1024,
                Duration.ofSeconds(8), 1_000, 0, 1_000, 4, Duration.ofMinutes(10), true, 1_000, 4, Duration.ofSeconds(10),
                Duration.ofMillis(200), 256, 1_024, 1_024, Duration.ofSeconds(30), 0);
        start(quickBodies, query -> {
            Thread.sleep(2_500);
            return "slow but sure";
        });
        QueryRequest query = QueryRequest.qa(UUID.randomUUID().toString(), SubnetFixture.NETUID, "slow",
                System.currentTimeMillis() + 6_000);

        Probe.Reply reply = probe.send(Probe.signed(VALIDATOR, MINER.address(), query));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body().toString()).contains("slow but sure");
    }

    @Test
    void minerOverItsDeadlineGets504() {
        CountDownLatch release = new CountDownLatch(1);
        start(settings(4, 4, Duration.ofMinutes(10)), query -> {
            release.await(5, TimeUnit.SECONDS);
            return "too late";
        });
        long now = System.currentTimeMillis();
        QueryRequest query = QueryRequest.qa(UUID.randomUUID().toString(), SubnetFixture.NETUID, "slow", now + 300);

        Probe.Reply reply = probe.send(Probe.signed(VALIDATOR, MINER.address(), query));
        release.countDown();

        assertThat(reply.status()).isEqualTo(504);
        assertThat(reply.error()).isEqualTo(Rejection.DEADLINE_EXCEEDED.name());
    }

    /** A miner restarted for a new model version must not cost the validators the answers it was computing. */
    @Test
    void closingLetsAQueryInFlightFinishAndSendsItsAnswer() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        start(settings(2, 0, Duration.ofMinutes(10)), heldUntil(entered, release, "finished after close"));
        CompletableFuture<Probe.Reply> inFlight = inBackground(() -> probe.send(Probe.signed(VALIDATOR, MINER.address(),
                QueryRequest.qa(UUID.randomUUID().toString(), SubnetFixture.NETUID, "in flight",
                        System.currentTimeMillis() + 10_000))));
        assertThat(entered.await(15, TimeUnit.SECONDS)).as("the query reached the miner").isTrue();

        MinerServer closing = server;
        server = null;
        CompletableFuture<Void> closed = closing.close().toCompletionStage().toCompletableFuture();
        Thread.sleep(300);
        assertThat(closed).as("close waits for the query in flight").isNotDone();
        release.countDown();

        Probe.Reply reply = inFlight.get(15, TimeUnit.SECONDS);
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body().toString()).contains("finished after close");
        closed.get(15, TimeUnit.SECONDS);
    }

    /** Refusals that only a counter showed: a developer whose model is too slow, or whose validator lacks a permit. */
    @Test
    void aSlowModelAndAValidatorWithoutPermitAreNamedInTheMinerLog() {
        Hotkey noPermit = Hotkey.random();
        SubnetFixture subnet = new SubnetFixture();
        subnet.validator(VALIDATOR, 1_000);
        subnet.neuron(noPermit, 1_000, false);
        subnet.miner(MINER, 1);
        metagraph = subnet.metagraph();
        CountDownLatch release = new CountDownLatch(1);
        try (LogCapture log = new LogCapture()) {
            start(settings(4, 4, Duration.ofMinutes(10)), query -> {
                release.await(5, TimeUnit.SECONDS);
                return "too late";
            });
            Probe.Reply late = probe.send(Probe.signed(VALIDATOR, MINER.address(), QueryRequest.qa(
                    UUID.randomUUID().toString(), SubnetFixture.NETUID, "slow", System.currentTimeMillis() + 1_500)));
            release.countDown();
            Probe.Reply refused = probe.send(Probe.signedNow(noPermit, MINER.address()));

            assertThat(late.error()).isEqualTo(Rejection.DEADLINE_EXCEEDED.name());
            assertThat(refused.error()).isEqualTo(Rejection.NO_VALIDATOR_PERMIT.name());
            assertThat(log.lines(Level.WARN)).as("warnings")
                    .anySatisfy(line -> assertThat(line).contains("DEADLINE_EXCEEDED", "answer faster"))
                    .anySatisfy(line -> assertThat(line).contains("NO_VALIDATOR_PERMIT", "uid 1", "chorus chain stake"));
        }
    }

    @Test
    void busyMinerWithNoWaitingRoomRefusesWith503() throws InterruptedException {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        start(settings(1, 0, Duration.ofMinutes(10)), heldUntil(entered, release, "done"));
        CompletableFuture<Probe.Reply> first = inBackground(() -> probe.send(Probe.signedNow(VALIDATOR, MINER.address())));
        assertThat(entered.await(15, TimeUnit.SECONDS)).as("first query reached the miner; its reply: %s",
                first.getNow(null)).isTrue();

        Probe.Reply second = probe.send(Probe.signedNow(VALIDATOR, MINER.address()));
        release.countDown();

        assertThat(second.status()).isEqualTo(503);
        assertThat(second.error()).isEqualTo(Rejection.BUSY.name());
        assertThat(first.join().status()).isEqualTo(200);
    }

    @Test
    void aHotkeyThatLeavesTheMetagraphIsWarnedAboutOnceAndItsReturnIsSaid() {
        Metagraph registered = metagraph;
        SubnetFixture reset = new SubnetFixture();
        reset.validator(VALIDATOR, 1_000);
        try (LogCapture log = new LogCapture()) {
            start(settings(4, 4, Duration.ofMinutes(10)), query -> "ok");
            metagraph = reset.metagraph();
            server.refreshMetagraph().await();
            server.refreshMetagraph().await();
            metagraph = registered;
            server.refreshMetagraph().await();
            server.refreshMetagraph().await();

            assertThat(log.lines(Level.WARN)).singleElement().asString().contains("hotkey " + MINER.address()
                    + " is no longer registered on subnet " + SubnetFixture.NETUID, "--register");
            assertThat(log.lines(Level.INFO)).filteredOn(line -> line.contains("registered on subnet")).singleElement()
                    .asString().contains("hotkey " + MINER.address() + " is registered on subnet " + SubnetFixture.NETUID
                            + " again, as uid " + registered.byHotkey(MINER.address()).orElseThrow().uid());
        }
    }

    @Test
    void aHotkeyHoldingAValidatorPermitIsWarnedAtStartThatItGetsNoQueries() {
        SubnetFixture subnet = new SubnetFixture();
        subnet.validator(VALIDATOR, 1_000);
        Neuron permitted = subnet.validator(MINER, 1_000);
        metagraph = subnet.metagraph();
        try (LogCapture log = new LogCapture()) {
            start(settings(4, 4, Duration.ofMinutes(10)), query -> "ok");
            server.refreshMetagraph().await();

            assertThat(log.lines(Level.WARN)).singleElement().asString().contains("hotkey " + MINER.address()
                    + " holds a validator permit on subnet " + SubnetFixture.NETUID + " (uid " + permitted.uid() + ")",
                    "validators will not send it queries", "run the miner with an unstaked key of its own");
        }
    }

    @Test
    void aMinerStartedBeforeItRegistersIsNotWarnedAboutButIsOnceARefreshIntervalLaterThatNoValidatorWillQueryIt() {
        SubnetFixture unregistered = new SubnetFixture();
        unregistered.validator(VALIDATOR, 1_000);
        metagraph = unregistered.metagraph();
        try (LogCapture log = new LogCapture()) {
            start(settings(4, 4, Duration.ofMinutes(10)), query -> "ok");
            server.refreshMetagraph().await();
            assertThat(log.lines(Level.WARN)).as("right after the start, when a registration may be on its way").isEmpty();

            clockAheadMs.set(MinerServer.UNREACHABLE_GRACE.toMillis());
            server.refreshMetagraph().await();
            server.refreshMetagraph().await();
            assertThat(log.lines(Level.WARN)).singleElement().asString().contains("hotkey " + MINER.address()
                    + " has no uid on subnet " + SubnetFixture.NETUID, "no validator will query this miner",
                    "chorus miner --register", "chorus chain serve --host <public address> --port " + server.port());
        }
    }

    @Test
    void aMinerThatValidatorsCanFindIsNotWarnedAboutLaterEither() {
        try (LogCapture log = new LogCapture()) {
            start(settings(4, 4, Duration.ofMinutes(10)), query -> "ok");
            clockAheadMs.set(MinerServer.UNREACHABLE_GRACE.toMillis());
            server.refreshMetagraph().await();
            assertThat(metagraph.byHotkey(MINER.address())).as("the fixture's miner, served")
                    .hasValueSatisfying(neuron -> assertThat(neuron.axon().isServing()).isTrue());
            assertThat(log.lines(Level.WARN)).isEmpty();
        }
    }

    @Test
    void aMinerRegisteredWithoutAnAxonIsWarnedOnceThatNoValidatorKnowsWhereItIs() {
        SubnetFixture subnet = new SubnetFixture();
        subnet.validator(VALIDATOR, 1_000);
        Neuron mine = subnet.neuron(MINER, 0, false);
        metagraph = subnet.metagraph();
        try (LogCapture log = new LogCapture()) {
            start(settings(4, 4, Duration.ofMinutes(10)), query -> "ok");
            clockAheadMs.set(MinerServer.UNREACHABLE_GRACE.toMillis());
            server.refreshMetagraph().await();
            server.refreshMetagraph().await();
            assertThat(log.lines(Level.WARN)).singleElement().asString().contains("hotkey " + MINER.address()
                    + " is uid " + mine.uid() + " on subnet " + SubnetFixture.NETUID + " but has announced no axon",
                    "chorus chain serve --host <public address> --port " + server.port());
        }
    }

    @Test
    void signaturesAreCheckedOnAsManyThreadsAsConfigured() {
        MinerServerSettings three = ConfigLoader.load(MinerConfig.defaults(), Optional.empty(), Map.of(),
                Map.of("chain.contract_address", "0x5FbDB2315678afecb367f032d93F642f64180aa3",
                        "server.signature_threads", "3")).server().onLoopback(1_000);
        start(three, query -> "ok");

        assertThat(probe.send(Probe.signedNow(VALIDATOR, MINER.address())).status()).isEqualTo(200);
        assertThat(probe.get("/metrics").body().toString()).contains("chorus_miner_signatures_threads 3.0");
    }

    @Test
    void everyOutcomeIsAtZeroFromTheFirstScrape() {
        start(settings(4, 4, Duration.ofMinutes(10)), query -> "ok");

        String metrics = probe.get("/metrics").body().toString();
        assertThat(metrics).contains("chorus_miner_requests_total{outcome=\"ok\"} 0.0");
        for (Rejection reason : Rejection.values()) {
            assertThat(metrics).contains("chorus_miner_requests_total{outcome=\""
                    + reason.name().toLowerCase(java.util.Locale.ROOT) + "\"} 0.0");
        }
    }

    /** The first failure's stack trace shows the miner's developer where their code broke; repeating it would flood the log. */
    @Test
    void failingMinerGets500TheFailureIsCountedAndItsFirstStackTraceLogged() {
        try (LogCapture log = new LogCapture()) {
            start(settings(4, 4, Duration.ofMinutes(10)), query -> {
                throw new IllegalStateException("model crashed");
            });
            Probe.Reply reply = probe.send(Probe.signedNow(VALIDATOR, MINER.address()));
            probe.send(Probe.signedNow(VALIDATOR, MINER.address()));

            assertThat(reply.status()).isEqualTo(500);
            assertThat(reply.error()).isEqualTo(Rejection.MINER_FAILED.name());
            assertThat(probe.get("/metrics").body().toString())
                    .contains("chorus_miner_requests_total{outcome=\"miner_failed\"} 2.0")
                    .contains("chorus_miner_handler_seconds_count");
            assertThat(log.lines(Level.WARN)).filteredOn(line -> line.contains("miner handler failed")).hasSize(2)
                    .allSatisfy(line -> assertThat(line).contains("IllegalStateException: model crashed"));
            assertThat(log.linesWithStackTrace(Level.WARN)).singleElement().asString()
                    .contains("model crashed", "its stack trace follows");
        }
    }

    /**
     * Operators alert on the names the README gives, from the miner's first scrape on: each has a sample before the
     * first query (every request outcome at 0), and every metric the miner exports is among them.
     */
    @Test
    void theFirstScrapeHoldsExactlyTheMetricsTheReadmeNames() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        Set<String> documented = Pattern.compile("`(chorus_miner_[a-z_]+)").matcher(readme).results()
                .map(match -> match.group(1)).collect(Collectors.toCollection(TreeSet::new));
        start(settings(4, 4, Duration.ofMinutes(10)), query -> "ok");

        String scrape = probe.get("/metrics").body().toString();
        List<String> samples = scrape.lines().filter(line -> !line.startsWith("#")).toList();
        Set<String> families = scrape.lines().filter(line -> line.startsWith("# TYPE chorus_"))
                .map(line -> line.split(" ")[2]).collect(Collectors.toCollection(TreeSet::new));
        families.removeIf(name -> name.endsWith("_max") && families.contains(name.substring(0, name.length() - 4)));

        assertThat(documented).as("metrics the README names").contains("chorus_miner_requests_total");
        assertThat(documented).as("README names without a sample in the first scrape").allSatisfy(name ->
                assertThat(samples).anyMatch(line -> line.matches(Pattern.quote(name) + "(_bucket|_count|_sum)?[{ ].*")));
        assertThat(families).as("metrics the miner exports").containsExactlyElementsOf(documented);
        assertThat(scrape).contains("chorus_miner_requests_total{outcome=\"ok\"} 0.0",
                "chorus_miner_requests_total{outcome=\"bad_signature\"} 0.0");
        assertThat(scrape).as("the process's own series, beside the miner's").contains("# TYPE jvm_memory_used_bytes gauge",
                "# TYPE process_files_open_files gauge", "# TYPE process_start_time_seconds gauge");
    }

    @ParameterizedTest(name = "async: {0}")
    @ValueSource(booleans = {false, true})
    void aMinerWhoseModelNameThrowsFailsThatQueryAloneAndFreesItsOnlySlot(boolean async) {
        AtomicInteger modelCalls = new AtomicInteger();
        java.util.function.Supplier<String> model = () -> {
            if (modelCalls.incrementAndGet() == 1) {
                throw new IllegalStateException("model name lookup failed once");
            }
            return "m";
        };
        MinerServer.Builder builder = MinerServer.builder().vertx(vertx).hotkey(MINER).netuid(SubnetFixture.NETUID)
                .metagraph(this::readChain).options(settings(1, 4, Duration.ofMinutes(10)));
        if (async) {
            builder.asyncMiner(new AsyncMiner() {
                @Override
                public CompletableFuture<String> answer(QueryRequest query) {
                    return CompletableFuture.completedFuture("fine");
                }

                @Override
                public String model() {
                    return model.get();
                }
            });
        } else {
            builder.miner(new Miner() {
                @Override
                public String answer(QueryRequest query) {
                    return "fine";
                }

                @Override
                public String model() {
                    return model.get();
                }
            });
        }
        server = builder.start().await();
        probe = new Probe(vertx, server.port());

        Probe.Reply failed = probe.send(Probe.signedNow(VALIDATOR, MINER.address()));
        List<Probe.Reply> later = List.of(probe.send(Probe.signedNow(VALIDATOR, MINER.address())),
                probe.send(Probe.signedNow(VALIDATOR, MINER.address())));

        assertThat(failed.status()).as("the query whose model lookup threw: %s", failed.body()).isEqualTo(500);
        assertThat(failed.error()).isEqualTo(Rejection.MINER_FAILED.name());
        assertThat(later).as("later queries, with max_concurrency 1").allSatisfy(reply -> {
            assertThat(reply.status()).as("%s", reply.body()).isEqualTo(200);
            assertThat(reply.json().getString("model")).isEqualTo("m");
        });
        assertThat(probe.get("/metrics").body().toString()).contains("chorus_miner_inflight 0.0");
    }

    /**
     * An Error is a failure of the miner's code like any other (an assert, a model class whose static setup failed):
     * the validator is told MINER_FAILED at once, not left to its deadline, and the miner's log says what was thrown.
     */
    @ParameterizedTest(name = "async: {0}")
    @ValueSource(booleans = {false, true})
    void aMinerThatThrowsAnErrorGets500AtOnce(boolean async) {
        Error broken = new NoClassDefFoundError("Could not initialize class com.example.MyModel");
        MinerServer.Builder builder = MinerServer.builder().vertx(vertx).hotkey(MINER).netuid(SubnetFixture.NETUID)
                .metagraph(this::readChain).options(settings(1, 4, Duration.ofMinutes(10)));
        if (async) {
            builder.asyncMiner(query -> {
                throw broken;
            });
        } else {
            builder.miner(query -> {
                throw broken;
            });
        }
        try (LogCapture log = new LogCapture()) {
            server = builder.start().await();
            probe = new Probe(vertx, server.port());

            Probe.Reply reply = probe.send(Probe.signedNow(VALIDATOR, MINER.address()));

            assertThat(reply.status()).as("%s", reply.body()).isEqualTo(500);
            assertThat(reply.error()).isEqualTo(Rejection.MINER_FAILED.name());
            assertThat(log.lines(Level.WARN)).anySatisfy(line -> assertThat(line)
                    .contains("miner handler failed", "NoClassDefFoundError"));
            assertThat(probe.get("/metrics").body().toString()).contains("chorus_miner_inflight 0.0");
        }
    }

    @Test
    void asyncMinerThatNeverAnswersFreesItsSlotAtTheDeadlineAndBusyRefusalsFreeNothing() throws InterruptedException {
        AtomicInteger calls = new AtomicInteger();
        server = MinerServer.builder().vertx(vertx).hotkey(MINER).netuid(SubnetFixture.NETUID)
                .metagraph(this::readChain).options(settings(1, 0, Duration.ofMinutes(10)))
                .asyncMiner(query -> calls.incrementAndGet() == 1
                        ? new CompletableFuture<>()
                        : CompletableFuture.completedFuture("answered")).start().await();
        probe = new Probe(vertx, server.port());
        CompletableFuture<Probe.Reply> hung = inBackground(() -> probe.send(Probe.signed(VALIDATOR,
                MINER.address(), QueryRequest.qa(UUID.randomUUID().toString(), SubnetFixture.NETUID, "hang",
                        System.currentTimeMillis() + 3_000))));
        while (calls.get() == 0) {
            Thread.onSpinWait();
        }
        long busyDeadline = System.currentTimeMillis() + 300;
        Probe.Reply busy = probe.send(Probe.signed(VALIDATOR, MINER.address(),
                QueryRequest.qa(UUID.randomUUID().toString(), SubnetFixture.NETUID, "busy", busyDeadline)));

        assertThat(busy.error()).isEqualTo(Rejection.BUSY.name());
        assertThat(hung.join().error()).isEqualTo(Rejection.DEADLINE_EXCEEDED.name());
        // Let the refused query's own deadline pass too: it must not hand back a slot it never held.
        TimeUnit.MILLISECONDS.sleep(Math.max(0, busyDeadline + 300 - System.currentTimeMillis()));
        assertThat(probe.send(Probe.signedNow(VALIDATOR, MINER.address())).status()).isEqualTo(200);
        assertThat(probe.get("/metrics").body().toString()).contains("chorus_miner_inflight 0.0");
    }

    @Test
    void asyncMinerAnswersWithoutAWorkerThread() {
        AtomicInteger calls = new AtomicInteger();
        AtomicBoolean onEventLoop = new AtomicBoolean();
        server = MinerServer.builder().vertx(vertx).hotkey(MINER).netuid(SubnetFixture.NETUID)
                .metagraph(this::readChain).options(settings(4, 4, Duration.ofMinutes(10)))
                .asyncMiner(query -> {
                    calls.incrementAndGet();
                    onEventLoop.set(Context.isOnEventLoopThread());
                    return CompletableFuture.completedFuture("async: " + query.prompt());
                }).start().await();
        probe = new Probe(vertx, server.port());

        Probe.Draft draft = Probe.signedNow(VALIDATOR, MINER.address());
        Probe.Reply reply = probe.send(draft);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().getString("answer")).isEqualTo("async: " + draft.query.prompt());
        assertThat(calls).hasValue(1);
        assertThat(onEventLoop).as("the async miner was called on the event loop").isTrue();
    }
}
