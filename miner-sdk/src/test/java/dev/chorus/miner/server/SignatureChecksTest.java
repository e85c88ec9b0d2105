package dev.chorus.miner.server;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class SignatureChecksTest {

    private static final String FLOODER = "10.0.0.1";
    private static final String VALIDATOR = "10.0.0.2";
    private static final String ANOTHER = "10.0.0.3";

    private final List<String> checked = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch release = new CountDownLatch(1);
    private Vertx vertx;
    private ExecutorService pool;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        pool = Executors.newSingleThreadExecutor();
    }

    @AfterEach
    void stop() {
        release.countDown();
        pool.close();
        vertx.close().await();
    }

    private Future<Void> check(SignatureChecks checks, String sender, String name) {
        return checks.verify(sender, () -> checked.add(name));
    }

    private Future<Void> blockUntilReleased(SignatureChecks checks, String sender) {
        return checks.verify(sender, () -> {
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static void assertBusy(Future<Void> check) {
        assertThat(check.failed()).as("turned away at once").isTrue();
        assertThat(((RefusedException) check.cause()).reason()).isEqualTo(Rejection.BUSY);
    }

    @Test
    void whenFullTheAddressWithTheMostWaitingGivesWayAndWaitersAreTakenInTurnByAddress() throws Exception {
        SignatureChecks checks = new SignatureChecks(vertx, pool, 1, 5);
        Future<Void> running = blockUntilReleased(checks, FLOODER);
        Future<Void> forged1 = check(checks, FLOODER, "forged-1");
        Future<Void> forged2 = check(checks, FLOODER, "forged-2");
        Future<Void> forged3 = check(checks, FLOODER, "forged-3");
        Future<Void> real1 = check(checks, VALIDATOR, "real-1");

        Future<Void> forged4 = check(checks, FLOODER, "forged-4");
        Future<Void> real2 = check(checks, VALIDATOR, "real-2");
        Future<Void> other = check(checks, ANOTHER, "other");

        assertBusy(forged4);
        assertBusy(forged3);
        assertBusy(forged2);
        assertThat(checks.waiting()).isEqualTo(4);
        release.countDown();
        Future.all(running, forged1, real1, real2, other).await(20, TimeUnit.SECONDS);
        assertThat(checked).containsExactly("forged-1", "real-1", "other", "real-2");
        assertThat(checks.waiting()).isZero();
    }

    @Test
    void aFailedCheckFailsWithItsRefusalAndFreesItsThread() throws Exception {
        SignatureChecks checks = new SignatureChecks(vertx, pool, 1, 1);
        Future<Void> forged = checks.verify(FLOODER, () -> {
            throw new RefusedException(Rejection.BAD_SIGNATURE, "forged");
        });
        Throwable refusal = forged.transform(done -> Future.succeededFuture(done.cause())).await(20, TimeUnit.SECONDS);
        assertThat(refusal).isInstanceOfSatisfying(RefusedException.class,
                e -> assertThat(e.reason()).isEqualTo(Rejection.BAD_SIGNATURE));

        check(checks, VALIDATOR, "real").await(20, TimeUnit.SECONDS);
        assertThat(checked).containsExactly("real");
    }

    @Test
    void aCheckThatThrowsAnErrorFailsItsRequestAndFreesItsThread() throws Exception {
        SignatureChecks checks = new SignatureChecks(vertx, pool, 1, 1);
        Future<Void> broken = checks.verify(FLOODER, () -> {
            throw new StackOverflowError("deep");
        });
        Throwable failure = broken.transform(done -> Future.succeededFuture(done.cause())).await(20, TimeUnit.SECONDS);
        assertThat(failure).isInstanceOf(StackOverflowError.class);

        check(checks, VALIDATOR, "real").await(20, TimeUnit.SECONDS);
        assertThat(checked).containsExactly("real");
    }

    /**
     * A check's outcome is given once its place is free: a sender that sends its next request as soon as it has the
     * answer to its last finds room. Given before, that next request was at times turned away as BUSY.
     */
    @Test
    void aCheckThatEndedHasGivenUpItsPlace() throws Exception {
        SignatureChecks checks = new SignatureChecks(vertx, pool, 1, 1);
        for (int i = 0; i < 2_000; i++) {
            String name = "check-" + i;
            Future<Void> done = check(checks, VALIDATOR, name);
            Throwable failure = done.transform(d -> Future.succeededFuture(d.cause())).await(20, TimeUnit.SECONDS);
            assertThat(failure).as("check %d", i).isNull();
        }
        assertThat(checked).hasSize(2_000);
    }

    @Test
    void aHostSendingFromManyAddressesOfItsIpv6Slash64TakesOneTurn() throws Exception {
        SignatureChecks checks = new SignatureChecks(vertx, pool, 1, 4);
        Future<Void> running = blockUntilReleased(checks, "2001:db8:1:2::a");
        check(checks, "2001:db8:1:2::1", "forged-1");
        Future<Void> forged2 = check(checks, "2001:db8:1:2::2", "forged-2");
        Future<Void> forged3 = check(checks, "2001:db8:1:2:ffff::3", "forged-3");
        Future<Void> real = check(checks, VALIDATOR, "real");

        assertThat(checks.waiting()).isEqualTo(3);
        release.countDown();
        Future.all(running, forged2, forged3, real).await(20, TimeUnit.SECONDS);
        assertThat(checked).as("one /64, one turn: the validator comes second, not after every address")
                .containsExactly("forged-2", "real", "forged-3");
    }

    @Test
    void aFlooderSharingTheValidatorsSlash64FillsOnlyItsOwnAddressesShare() throws Exception {
        String flooder = "2001:db8:1:2::66";
        String validator = "2001:db8:1:2::77";
        SignatureChecks checks = new SignatureChecks(vertx, pool, 1, 4);
        Future<Void> running = blockUntilReleased(checks, flooder);
        Future<Void> forged1 = check(checks, flooder, "forged-1");
        Future<Void> forged2 = check(checks, flooder, "forged-2");
        Future<Void> real1 = check(checks, validator, "real-1");

        Future<Void> forged3 = check(checks, flooder, "forged-3");
        Future<Void> real2 = check(checks, validator, "real-2");

        assertBusy(forged3);
        assertBusy(forged2);
        release.countDown();
        Future.all(running, forged1, real1, real2).await(20, TimeUnit.SECONDS);
        assertThat(checked).containsExactly("forged-1", "real-1", "real-2");
    }
}
