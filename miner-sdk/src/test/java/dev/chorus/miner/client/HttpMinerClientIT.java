package dev.chorus.miner.client;

import dev.chorus.chain.AxonInfo;
import dev.chorus.chain.Neuron;
import dev.chorus.miner.protocol.CanonicalJson;
import dev.chorus.miner.protocol.Epistula;
import dev.chorus.miner.protocol.EpistulaHeaders;
import dev.chorus.miner.protocol.Hotkey;
import dev.chorus.miner.protocol.QueryRequest;
import dev.chorus.miner.protocol.QueryResponse;
import dev.chorus.miner.testing.SubnetFixture;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;

import static org.assertj.core.api.Assertions.assertThat;

/** The validator-side client against a scripted axon: every way a miner can fail is a value. */
class HttpMinerClientIT {

    private static final Hotkey VALIDATOR = Hotkey.random();
    private static final Hotkey MINER = Hotkey.random();
    private static final int CAP = 4096;

    private static Vertx vertx;
    private static HttpServer axon;
    private static HttpMinerClient client;
    private static volatile BiConsumer<HttpServerRequest, Buffer> script;
    private static Neuron miner;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        axon = vertx.createHttpServer()
                .requestHandler(request -> request.body().onSuccess(body -> script.accept(request, body)))
                .listen(0, "127.0.0.1").await();
        SubnetFixture subnet = new SubnetFixture();
        miner = SubnetFixture.servingOn(subnet.miner(MINER, 1), axon.actualPort());
        client = new HttpMinerClient(vertx, VALIDATOR, new HttpMinerClientOptions(CAP, Duration.ofSeconds(2),
                Duration.ofSeconds(8), 4));
    }

    @AfterAll
    static void stop() {
        client.close();
        axon.close().await();
        vertx.close().await();
    }

    private static QueryRequest query(long budgetMs) {
        return QueryRequest.qa(UUID.randomUUID().toString(), SubnetFixture.NETUID, "question",
                System.currentTimeMillis() + budgetMs);
    }

    /** Answers like an honest miner, but lets the test change what is signed and what is sent. */
    private static void answer(HttpServerRequest request, Buffer body, Hotkey signer, String answerText,
                               boolean tamper) {
        QueryRequest asked = CanonicalJson.read(body.getBytes(), QueryRequest.class);
        byte[] payload = CanonicalJson.write(new QueryResponse(asked.queryId(), answerText, null, null));
        EpistulaHeaders signed = Epistula.sign(signer, payload, request.getHeader(EpistulaHeaders.SIGNED_BY),
                request.getHeader(EpistulaHeaders.UUID), System.currentTimeMillis());
        HttpServerResponse response = request.response();
        signed.asResponseHeaders().forEach(response::putHeader);
        byte[] sent = tamper ? new String(payload, StandardCharsets.UTF_8).replace(answerText, "swapped")
                .getBytes(StandardCharsets.UTF_8) : payload;
        response.end(Buffer.buffer(sent));
    }

    private static MinerAnswer.Failed failed(MinerAnswer answer) {
        assertThat(answer).isInstanceOf(MinerAnswer.Failed.class);
        return (MinerAnswer.Failed) answer;
    }

    @Test
    void honestAnswerIsOk() {
        script = (request, body) -> answer(request, body, MINER, "forty-two", false);
        MinerAnswer answer = client.query(miner, query(2_000)).await();
        assertThat(answer).isInstanceOfSatisfying(MinerAnswer.Ok.class, ok -> {
            assertThat(ok.answer()).isEqualTo("forty-two");
            assertThat(ok.latency()).isPositive();
        });
    }

    @Test
    void answerSignedByAnotherHotkeyIsBadSignature() {
        script = (request, body) -> answer(request, body, Hotkey.random(), "forty-two", false);
        MinerAnswer.Failed failed = failed(client.query(miner, query(2_000)).await());
        assertThat(failed.failure()).isEqualTo(MinerAnswer.Failure.BAD_SIGNATURE);
    }

    @Test
    void answerSwappedInTransitIsBadSignature() {
        script = (request, body) -> answer(request, body, MINER, "forty-two", true);
        MinerAnswer.Failed failed = failed(client.query(miner, query(2_000)).await());
        assertThat(failed.failure()).isEqualTo(MinerAnswer.Failure.BAD_SIGNATURE);
        assertThat(failed.detail()).contains("does not match");
    }

    @Test
    void unsignedAnswerIsBadSignature() {
        script = (request, body) -> request.response().end(Buffer.buffer(CanonicalJson.write(new QueryResponse(
                CanonicalJson.read(body.getBytes(), QueryRequest.class).queryId(), "x", null, null))));
        assertThat(failed(client.query(miner, query(2_000)).await()).detail()).isEqualTo("response is not signed");
    }

    @ParameterizedTest(name = "Epistula-Version: {0}")
    @NullSource
    @ValueSource(strings = {"1", "3", ""})
    void answerWithoutTheProtocolsEpistulaVersionIsBadSignature(String version) {
        script = (request, body) -> {
            byte[] payload = CanonicalJson.write(new QueryResponse(
                    CanonicalJson.read(body.getBytes(), QueryRequest.class).queryId(), "x", null, null));
            Map<String, String> headers = new LinkedHashMap<>(Epistula.sign(MINER, payload, VALIDATOR.address(),
                    request.getHeader(EpistulaHeaders.UUID), System.currentTimeMillis()).asResponseHeaders());
            if (version == null) {
                headers.remove(EpistulaHeaders.VERSION);
            } else {
                headers.put(EpistulaHeaders.VERSION, version);
            }
            HttpServerResponse response = request.response();
            headers.forEach(response::putHeader);
            response.end(Buffer.buffer(payload));
        };
        MinerAnswer.Failed failed = failed(client.query(miner, query(2_000)).await());
        assertThat(failed.failure()).isEqualTo(MinerAnswer.Failure.BAD_SIGNATURE);
        assertThat(failed.detail()).isEqualTo(version == null ? "response is not signed"
                : "response's Epistula-Version is not " + Epistula.PROTOCOL_VERSION);
    }

    @Test
    void answerBoundToAnotherRequestIsBadSignature() {
        script = (request, body) -> {
            byte[] payload = CanonicalJson.write(new QueryResponse(
                    CanonicalJson.read(body.getBytes(), QueryRequest.class).queryId(), "x", null, null));
            HttpServerResponse response = request.response();
            Epistula.sign(MINER, payload, VALIDATOR.address(), UUID.randomUUID().toString(),
                    System.currentTimeMillis()).asResponseHeaders().forEach(response::putHeader);
            response.end(Buffer.buffer(payload));
        };
        MinerAnswer.Failed failed = failed(client.query(miner, query(2_000)).await());
        assertThat(failed.failure()).isEqualTo(MinerAnswer.Failure.BAD_SIGNATURE);
        assertThat(failed.detail()).contains("another validator or request");
    }

    @Test
    void declaredOversizeAnswerIsCutOff() {
        script = (request, body) -> request.response().end(Buffer.buffer(new byte[CAP * 4]));
        assertThat(failed(client.query(miner, query(2_000)).await()).failure())
                .isEqualTo(MinerAnswer.Failure.OVERSIZE);
    }

    @Test
    void streamedOversizeAnswerIsCutOffWhileStreaming() {
        script = (request, body) -> {
            HttpServerResponse response = request.response().setChunked(true);
            for (int i = 0; i < 64; i++) {
                response.write(Buffer.buffer(new byte[1024]));
            }
        };
        MinerAnswer.Failed failed = failed(client.query(miner, query(2_000)).await());
        assertThat(failed.failure()).isEqualTo(MinerAnswer.Failure.OVERSIZE);
        assertThat(failed.latency()).as("cut before the query's 2 s deadline").isLessThan(Duration.ofMillis(2_000));
    }

    @Test
    void silentMinerTimesOutAtTheQueryDeadline() {
        script = (request, body) -> { };
        MinerAnswer.Failed failed = failed(client.query(miner, query(300)).await());
        assertThat(failed.failure()).isEqualTo(MinerAnswer.Failure.TIMEOUT);
        assertThat(failed.latency()).isBetween(Duration.ofMillis(200), Duration.ofMillis(2_000));
    }

    /** Keeps a one-worker Vert.x's worker busy for {@code ms} from now; completes with the time it was let go. */
    private static Future<Long> occupyTheWorker(Vertx oneWorker, long ms) throws InterruptedException {
        CountDownLatch workerBusy = new CountDownLatch(1);
        Future<Long> released = oneWorker.executeBlocking(() -> {
            workerBusy.countDown();
            Thread.sleep(ms);
            return System.currentTimeMillis();
        });
        workerBusy.await();
        return released;
    }

    /**
     * Signing waits its turn on Vert.x's worker pool; a query whose deadline passed meanwhile is not sent after all, or
     * the miner would spend its model on an answer no one waits for.
     */
    @Test
    void queryWhoseDeadlinePassesWhileItWaitsToBeSignedIsNotSent() throws Exception {
        Vertx oneWorker = Vertx.vertx(new VertxOptions().setWorkerPoolSize(1));
        AtomicInteger received = new AtomicInteger();
        try {
            HttpServer counting = oneWorker.createHttpServer()
                    .requestHandler(request -> {
                        received.incrementAndGet();
                        request.response().setStatusCode(503).end();
                    })
                    .listen(0, "127.0.0.1").await();
            HttpMinerClient late = new HttpMinerClient(oneWorker, VALIDATOR, HttpMinerClientOptions.defaults());
            Future<Long> blocker = occupyTheWorker(oneWorker, 600);

            Neuron countingMiner = SubnetFixture.servingOn(miner, counting.actualPort());
            MinerAnswer.Failed failed = failed(late.query(countingMiner, query(200)).await());
            blocker.await();
            // Signed after the late one on the single worker and sent after it on the client's event loop: once this
            // one is answered, the late one would have arrived too.
            MinerAnswer.Failed next = failed(late.query(countingMiner, query(5_000)).await());

            assertThat(failed.failure()).isEqualTo(MinerAnswer.Failure.TIMEOUT);
            assertThat(next.failure()).isEqualTo(MinerAnswer.Failure.HTTP_STATUS);
            assertThat(received).as("queries that reached the miner: the late one must not have").hasValue(1);
            late.close();
        } finally {
            oneWorker.close().await();
        }
    }

    /**
     * The Epistula timestamp is the time of signing, not of the call: a query that waited its turn to be signed behind a
     * round's others would otherwise reach the miner that much older, and past the miner's timestamp window be refused.
     */
    @Test
    void queryThatWaitedToBeSignedCarriesTheTimeItWasSigned() throws Exception {
        Vertx oneWorker = Vertx.vertx(new VertxOptions().setWorkerPoolSize(1));
        AtomicReference<String> timestamp = new AtomicReference<>();
        try {
            HttpServer recording = oneWorker.createHttpServer()
                    .requestHandler(request -> {
                        timestamp.set(request.getHeader(EpistulaHeaders.TIMESTAMP));
                        request.response().setStatusCode(503).end();
                    })
                    .listen(0, "127.0.0.1").await();
            HttpMinerClient client = new HttpMinerClient(oneWorker, VALIDATOR, HttpMinerClientOptions.defaults());
            Future<Long> workerFree = occupyTheWorker(oneWorker, 600);
            long asked = System.currentTimeMillis();

            MinerAnswer.Failed answered = failed(client.query(SubnetFixture.servingOn(miner, recording.actualPort()),
                    query(5_000)).await());

            assertThat(answered.failure()).isEqualTo(MinerAnswer.Failure.HTTP_STATUS);
            assertThat(Long.parseLong(timestamp.get())).as("signed at, against asked at %d", asked)
                    .isGreaterThanOrEqualTo(workerFree.await());
            client.close();
        } finally {
            oneWorker.close().await();
        }
    }

    @Test
    void closedPortIsRefused() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        MinerAnswer.Failed failed = failed(client.query(SubnetFixture.servingOn(miner, port), query(2_000)).await());
        assertThat(failed.failure()).isEqualTo(MinerAnswer.Failure.REFUSED);
    }

    @Test
    void signedGarbageIsMalformed() {
        script = (request, body) -> {
            byte[] payload = "{\"answer\":".getBytes(StandardCharsets.UTF_8);
            HttpServerResponse response = request.response();
            Epistula.sign(MINER, payload, VALIDATOR.address(), request.getHeader(EpistulaHeaders.UUID),
                    System.currentTimeMillis()).asResponseHeaders().forEach(response::putHeader);
            response.end(Buffer.buffer(payload));
        };
        assertThat(failed(client.query(miner, query(2_000)).await()).failure())
                .isEqualTo(MinerAnswer.Failure.MALFORMED);
    }

    @Test
    void refusalIsAnHttpStatusFailureWithItsReason() {
        script = (request, body) -> request.response().setStatusCode(429)
                .end("{\"error\":\"RATE_LIMITED\",\"reason\":\"slow down\"}");
        MinerAnswer.Failed failed = failed(client.query(miner, query(2_000)).await());
        assertThat(failed.failure()).isEqualTo(MinerAnswer.Failure.HTTP_STATUS);
        assertThat(failed.detail()).isEqualTo("429 RATE_LIMITED: slow down");
        assertThat(failed.kind()).isEqualTo("HTTP_STATUS RATE_LIMITED");
    }

    @Test
    void aRefusalCodeOfAnotherShapeIsLeftOutOfTheKindLogsCount() {
        script = (request, body) -> request.response().setStatusCode(403)
                .end("{\"error\":\"NO\\nWAY\",\"reason\":\"go away\"}");
        MinerAnswer.Failed failed = failed(client.query(miner, query(2_000)).await());
        assertThat(failed.refusal()).isEmpty();
        assertThat(failed.kind()).isEqualTo("HTTP_STATUS");
        script = (request, body) -> request.response().setStatusCode(500).end("{\"error\": 7}");
        failed = failed(client.query(miner, query(2_000)).await());
        assertThat(failed.refusal()).isEmpty();
        assertThat(failed.kind()).isEqualTo("HTTP_STATUS");
    }

    /** A null code is JSON a miner in another language writes readily; it must not leave the query to its deadline. */
    @Test
    void aRefusalWithANullCodeIsAnHttpStatusFailureAtOnce() {
        script = (request, body) -> request.response().setStatusCode(500).end("{\"error\":null,\"reason\":null}");
        MinerAnswer.Failed failed = failed(client.query(miner, query(2_000)).await());
        assertThat(failed.failure()).isEqualTo(MinerAnswer.Failure.HTTP_STATUS);
        assertThat(failed.refusal()).isEmpty();
        assertThat(failed.latency()).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void neuronWithoutAxonIsNotServing() {
        Neuron unserved = new Neuron(miner.uid(), miner.hotkey(), miner.coldkey(), miner.stake(), AxonInfo.NONE,
                false, true, 0, 0, 0, 0, 0, 0, miner.emission());
        assertThat(failed(client.query(unserved, query(2_000)).await()).failure())
                .isEqualTo(MinerAnswer.Failure.NOT_SERVING);
    }

    @Test
    void manySequentialQueriesFromAThreadOutsideVertxAllComplete() {
        script = (request, body) -> answer(request, body, MINER, "ok", false);
        for (int i = 0; i < 200; i++) {
            assertThat(client.query(miner, query(2_000)).await()).as("query " + i).isInstanceOf(MinerAnswer.Ok.class);
        }
    }
}
