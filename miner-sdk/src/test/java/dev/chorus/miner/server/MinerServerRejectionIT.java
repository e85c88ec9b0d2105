package dev.chorus.miner.server;

import dev.chorus.config.MinerServerSettings;
import dev.chorus.miner.protocol.Epistula;
import dev.chorus.miner.protocol.EpistulaHeaders;
import dev.chorus.miner.protocol.Hotkey;
import dev.chorus.miner.protocol.QueryRequest;
import dev.chorus.miner.testing.Probe;
import dev.chorus.miner.testing.RecordingMiner;
import dev.chorus.miner.testing.SubnetFixture;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One test per refusal reason, on real loopback HTTP. Each asserts the status and error code and
 * that the miner's handler never saw the query.
 */
class MinerServerRejectionIT {

    private static final Hotkey MINER = Hotkey.random();
    private static final Hotkey VALIDATOR = Hotkey.random();
    private static final Hotkey THROTTLED_VALIDATOR = Hotkey.random();
    private static final Hotkey NO_PERMIT = Hotkey.random();
    private static final Hotkey LOW_STAKE = Hotkey.random();
    private static final Hotkey STRANGER = Hotkey.random();
    private static final int BURST = 10;
    private static final RecordingMiner HANDLER = new RecordingMiner();

    private static Vertx vertx;
    private static MinerServer server;
    private static Probe probe;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        SubnetFixture subnet = new SubnetFixture();
        subnet.validator(VALIDATOR, 5_000);
        subnet.validator(THROTTLED_VALIDATOR, 5_000);
        subnet.neuron(NO_PERMIT, 5_000, false);
        subnet.validator(LOW_STAKE, 99);
        subnet.miner(MINER, 1);
        MinerServerSettings settings = new MinerServerSettings("127.0.0.1", 0, "127.0.0.1", 4096,
                Duration.ofSeconds(8), 1_000, 100, 0.01, 8, Duration.ofMinutes(10), true, BURST, 16,
                Duration.ofSeconds(10), Duration.ofSeconds(2), 256, 1_024, 1_024, Duration.ofSeconds(30), 0);
        server = MinerServer.builder().vertx(vertx).hotkey(MINER).netuid(SubnetFixture.NETUID)
                .metagraph(subnet::metagraph).options(settings).miner(HANDLER).start().await();
        probe = new Probe(vertx, server.port());
    }

    @AfterAll
    static void stop() {
        probe.close();
        server.close().await();
        vertx.close().await();
    }

    @Test
    void answersAWellFormedQuery() {
        Probe.Draft draft = Probe.signedNow(VALIDATOR, MINER.address());
        Probe.Reply reply = probe.send(draft);
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.headers()).containsKey(EpistulaHeaders.RESPONSE_SIGNATURE.toLowerCase(java.util.Locale.ROOT))
                .containsEntry(EpistulaHeaders.VERSION.toLowerCase(java.util.Locale.ROOT), Epistula.PROTOCOL_VERSION);
        assertThat(handled(draft)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {EpistulaHeaders.VERSION, EpistulaHeaders.TIMESTAMP, EpistulaHeaders.UUID,
            EpistulaHeaders.SIGNED_BY, EpistulaHeaders.SIGNED_FOR, EpistulaHeaders.REQUEST_SIGNATURE})
    void refusesMissingHeader(String header) {
        Probe.Draft draft = Probe.signedNow(VALIDATOR, MINER.address());
        draft.headers.remove(header);
        assertRefused(draft, probe.send(draft), 400, Rejection.MISSING_HEADER, header);
    }

    @Test
    void refusesUnsupportedVersion() {
        Probe.Draft draft = Probe.signedNow(VALIDATOR, MINER.address());
        draft.headers.put(EpistulaHeaders.VERSION, "1");
        assertRefused(draft, probe.send(draft), 400, Rejection.UNSUPPORTED_VERSION, "not supported");
    }

    @Test
    void refusesOversizeBodyFromContentLengthWithoutReadingIt() {
        Probe.Draft draft = oversize();
        Probe.Reply reply = probe.send(draft);
        assertRefused(draft, reply, 413, Rejection.BODY_TOO_LARGE, "4096 byte limit");
        assertThat(reply.headers()).containsEntry("connection", "close");
    }

    @Test
    void refusesOversizeChunkedBodyWhileStreaming() {
        Probe.Draft draft = oversize();
        assertRefused(draft, probe.sendChunked(draft), 413, Rejection.BODY_TOO_LARGE, "4096 byte limit");
    }

    @Test
    void refusesStaleTimestamp() {
        Probe.Draft draft = Probe.signed(VALIDATOR, MINER.address(), System.currentTimeMillis() - 60_000,
                SubnetFixture.NETUID);
        assertRefused(draft, probe.send(draft), 401, Rejection.STALE_TIMESTAMP, "ms old");
    }

    @Test
    void refusesFutureTimestamp() {
        Probe.Draft draft = Probe.signed(VALIDATOR, MINER.address(), System.currentTimeMillis() + 60_000,
                SubnetFixture.NETUID);
        assertRefused(draft, probe.send(draft), 401, Rejection.FUTURE_TIMESTAMP, "in the future");
    }

    @Test
    void refusesQuerySignedForAnotherMiner() {
        Probe.Draft draft = Probe.signedNow(VALIDATOR, Hotkey.random().address());
        assertRefused(draft, probe.send(draft), 421, Rejection.WRONG_RECEIVER, "not this miner");
    }

    @Test
    void refusesUnregisteredSigner() {
        Probe.Draft draft = Probe.signedNow(STRANGER, MINER.address());
        assertRefused(draft, probe.send(draft), 403, Rejection.UNKNOWN_SIGNER,
                "signer " + STRANGER.address() + " is not registered");
    }

    @Test
    void refusesSignerWithoutValidatorPermit() {
        Probe.Draft draft = Probe.signedNow(NO_PERMIT, MINER.address());
        assertRefused(draft, probe.send(draft), 403, Rejection.NO_VALIDATOR_PERMIT, "no validator permit");
    }

    @Test
    void refusesSignerBelowMinimumStake() {
        Probe.Draft draft = Probe.signedNow(LOW_STAKE, MINER.address());
        assertRefused(draft, probe.send(draft), 403, Rejection.STAKE_TOO_LOW, "below the minimum 100");
    }

    @Test
    void refusesReplayedUuid() {
        Probe.Draft draft = Probe.signedNow(VALIDATOR, MINER.address());
        assertThat(probe.send(draft).status()).isEqualTo(200);
        int callsAfterOriginal = HANDLER.calls().size();

        Probe.Reply replay = probe.send(draft);

        assertThat(replay.status()).isEqualTo(409);
        assertThat(replay.error()).isEqualTo(Rejection.REPLAYED_UUID.name());
        assertThat(HANDLER.calls()).hasSize(callsAfterOriginal);
    }

    @Test
    void refusesEmptySignatureFromAnImpostorClaimingAValidatorHotkey() {
        Probe.Draft draft = Probe.signedNow(STRANGER, MINER.address());
        draft.headers.put(EpistulaHeaders.SIGNED_BY, VALIDATOR.address());
        draft.headers.put(EpistulaHeaders.REQUEST_SIGNATURE, "");
        assertRefused(draft, probe.send(draft), 401, Rejection.EMPTY_SIGNATURE, "empty signature");
    }

    @Test
    void refusesForgedSignatureClaimingAValidatorHotkey() {
        Probe.Draft draft = Probe.signedNow(STRANGER, MINER.address());
        draft.headers.put(EpistulaHeaders.SIGNED_BY, VALIDATOR.address());
        assertRefused(draft, probe.send(draft), 401, Rejection.BAD_SIGNATURE, "does not match");
    }

    @Test
    void refusesBodyChangedAfterSigning() {
        Probe.Draft draft = Probe.signedNow(VALIDATOR, MINER.address());
        draft.body = new String(draft.body, StandardCharsets.UTF_8).replace("probe", "PROBE")
                .getBytes(StandardCharsets.UTF_8);
        assertRefused(draft, probe.send(draft), 401, Rejection.BAD_SIGNATURE, "does not match");
    }

    @Test
    void refusesMalformedSignature() {
        Probe.Draft draft = Probe.signedNow(VALIDATOR, MINER.address());
        draft.headers.put(EpistulaHeaders.REQUEST_SIGNATURE, "0x1234");
        assertRefused(draft, probe.send(draft), 401, Rejection.MALFORMED_SIGNATURE, "130 hex digits");
    }

    @Test
    void forgedRequestDoesNotBurnTheUuidOfTheRealValidator() {
        Probe.Draft genuine = Probe.signedNow(VALIDATOR, MINER.address());
        Probe.Draft forged = Probe.signedNow(STRANGER, MINER.address());
        forged.headers.put(EpistulaHeaders.SIGNED_BY, VALIDATOR.address());
        forged.headers.put(EpistulaHeaders.UUID, genuine.headers.get(EpistulaHeaders.UUID));

        assertThat(probe.send(forged).status()).isEqualTo(401);
        assertThat(probe.send(genuine).status()).isEqualTo(200);
    }

    @Test
    void refusesQueryForAnotherSubnet() {
        Probe.Draft draft = Probe.signed(VALIDATOR, MINER.address(), System.currentTimeMillis(),
                SubnetFixture.NETUID + 1);
        assertRefused(draft, probe.send(draft), 400, Rejection.WRONG_NETUID, "this miner serves 7");
    }

    @Test
    void rateLimitsOneValidatorWithoutTouchingOthers() {
        for (int i = 0; i < BURST; i++) {
            assertThat(probe.send(Probe.signedNow(THROTTLED_VALIDATOR, MINER.address())).status()).isEqualTo(200);
        }
        Probe.Draft draft = Probe.signedNow(THROTTLED_VALIDATOR, MINER.address());
        Probe.Reply reply = probe.send(draft);

        assertRefused(draft, reply, 429, Rejection.RATE_LIMITED, "queries per second");
        assertThat(reply.headers()).containsKey("retry-after");
        assertThat(probe.send(Probe.signedNow(VALIDATOR, MINER.address())).status()).isEqualTo(200);
    }

    @Test
    void refusesABodyThatTrickles() throws Exception {
        Probe.Draft draft = Probe.signedNow(VALIDATOR, MINER.address());
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(Probe.head(draft));
            socket.getOutputStream().write(draft.body, 0, 10);
            socket.getOutputStream().flush();

            String reply = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            assertThat(reply).startsWith("HTTP/1.1 408").contains(Rejection.BODY_TOO_SLOW.name());
        }
        assertThat(handled(draft)).isFalse();
    }

    @Test
    void aClientThatExpects100ContinueIsToldToSendItsBody() throws Exception {
        Probe.Draft draft = Probe.signedNow(VALIDATOR, MINER.address());
        try (Socket socket = headExpecting100Continue(draft)) {
            assertThat(Probe.read(socket.getInputStream()).status()).as("before the body").isEqualTo(100);
            socket.getOutputStream().write(draft.body);
            socket.getOutputStream().flush();
            assertThat(Probe.read(socket.getInputStream()).status()).isEqualTo(200);
        }
        assertThat(handled(draft)).isTrue();
    }

    @Test
    void aRefusedHeadIsAnsweredInsteadOf100Continue() throws Exception {
        Probe.Draft draft = Probe.signedNow(STRANGER, MINER.address());
        try (Socket socket = headExpecting100Continue(draft)) {
            assertThat(Probe.read(socket.getInputStream()).status()).isEqualTo(403);
        }
        assertThat(handled(draft)).isFalse();
    }

    /** A connection that sent {@code draft}'s head, asking to be told before its body goes. */
    private static Socket headExpecting100Continue(Probe.Draft draft) throws Exception {
        draft.headers.put("Expect", "100-continue");
        Socket socket = new Socket("127.0.0.1", server.port());
        socket.setSoTimeout(3_000);
        socket.getOutputStream().write(Probe.head(draft));
        socket.getOutputStream().flush();
        return socket;
    }

    @Test
    void unknownPathIsNotFound() {
        Probe.Reply reply = probe.get("/v1/other");
        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.error()).isEqualTo(Rejection.NOT_FOUND.name());
    }

    private static Probe.Draft oversize() {
        Probe.Draft draft = Probe.signedNow(VALIDATOR, MINER.address());
        byte[] padded = Arrays.copyOf(draft.body, 64 * 1024);
        Arrays.fill(padded, draft.body.length, padded.length, (byte) ' ');
        draft.body = padded;
        draft.headers.putAll(Epistula.sign(VALIDATOR, padded, MINER.address(), System.currentTimeMillis())
                .asRequestHeaders());
        return draft;
    }

    private static boolean handled(Probe.Draft draft) {
        return HANDLER.calls().stream().map(QueryRequest::queryId).anyMatch(draft.query.queryId()::equals);
    }

    private static void assertRefused(Probe.Draft draft, Probe.Reply reply, int status, Rejection reason,
                                      String reasonText) {
        assertThat(reply.status()).as("status").isEqualTo(status);
        assertThat(reply.error()).isEqualTo(reason.name());
        assertThat(reply.reason()).contains(reasonText);
        assertThat(handled(draft)).as("handler saw the refused query").isFalse();
    }
}
