package dev.chorus.miner.server;

import dev.chorus.config.MinerServerSettings;
import dev.chorus.miner.protocol.CanonicalJson;
import dev.chorus.miner.protocol.EpistulaHeaders;
import dev.chorus.miner.protocol.Hotkey;
import dev.chorus.miner.protocol.QueryRequest;
import dev.chorus.miner.testing.SubnetFixture;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The checks made once a body is in, with the clock in the test's hand. */
class RequestGateTest {

    private static final Hotkey MINER = Hotkey.random();
    private static final Hotkey VALIDATOR = Hotkey.random();
    private static final long TIMESTAMP = 1_748_779_200_000L;
    private static final long WINDOW_MS = MinerServerSettings.defaults().timestampWindow().toMillis();

    private final AtomicLong now = new AtomicLong(TIMESTAMP);
    private final ReplayCache replay = new ReplayCache(16);
    private final RequestGate gate;
    private final RequestGate.Admitted admitted;
    private final byte[] body;

    RequestGateTest() {
        SubnetFixture subnet = new SubnetFixture();
        var signer = subnet.validator(VALIDATOR, 5_000);
        subnet.miner(MINER, 1);
        MetagraphCache metagraph = new MetagraphCache(subnet::metagraph, Duration.ofMinutes(10),
                () -> Instant.ofEpochMilli(now.get()));
        gate = new RequestGate(MINER.address(), SubnetFixture.NETUID, MinerServerSettings.defaults(), metagraph, replay,
                () -> Instant.ofEpochMilli(now.get()));
        String uuid = UUID.randomUUID().toString();
        admitted = new RequestGate.Admitted(new EpistulaHeaders("2", TIMESTAMP, uuid, VALIDATOR.address(),
                MINER.address(), "0x00"), signer);
        body = CanonicalJson.write(QueryRequest.qa("q", SubnetFixture.NETUID, "question", TIMESTAMP + 5_000));
    }

    private static void assertRefused(Runnable check, Rejection reason) {
        assertThatThrownBy(check::run).isInstanceOfSatisfying(RefusedException.class,
                e -> assertThat(e.reason()).isEqualTo(reason));
    }

    @Test
    void aBodyInPastTheTimestampWindowIsStaleAndItsUuidIsNotRecorded() {
        now.set(TIMESTAMP + WINDOW_MS + 1);

        assertRefused(() -> gate.checkStillFresh(admitted), Rejection.STALE_TIMESTAMP);
        assertRefused(() -> gate.checkBody(admitted, body), Rejection.STALE_TIMESTAMP);
        assertThat(replay.size()).isZero();
    }

    @Test
    void aUuidRecordedLateInItsWindowIsRememberedForAWholeWindowFromThen() {
        now.set(TIMESTAMP + WINDOW_MS - 1);
        assertThat(gate.checkBody(admitted, body).queryId()).isEqualTo("q");

        long afterTheTimestampsWindow = TIMESTAMP + 2 * WINDOW_MS - 2;
        assertThat(replay.seen(VALIDATOR.address(), admitted.headers().uuid(), afterTheTimestampsWindow)).isTrue();
    }

    @Test
    void aCopyRecordedSinceTheHeadWasCheckedIsCaughtBeforeTheRateLimit() {
        gate.checkStillFresh(admitted);
        gate.checkBody(admitted, body);

        assertRefused(() -> gate.checkStillFresh(admitted), Rejection.REPLAYED_UUID);
        assertRefused(() -> gate.checkBody(admitted, body), Rejection.REPLAYED_UUID);
    }
}
