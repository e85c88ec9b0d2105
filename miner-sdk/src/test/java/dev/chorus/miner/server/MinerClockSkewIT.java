package dev.chorus.miner.server;

import dev.chorus.miner.protocol.Hotkey;
import dev.chorus.miner.testing.Probe;
import dev.chorus.miner.testing.SubnetFixture;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.concurrent.ConcurrentLinkedQueue;

import static org.assertj.core.api.Assertions.assertThat;

/** A handler's time left, read against its own host's clock, is the query's budget whatever the validator's clock says. */
class MinerClockSkewIT {

    private static final Hotkey MINER = Hotkey.random();
    private static final Hotkey VALIDATOR = Hotkey.random();
    /** What {@link Probe#signed(Hotkey, String, long, int)} gives every query, on the signer's clock. */
    private static final long BUDGET_MS = 5_000;
    private static final ConcurrentLinkedQueue<Long> TIME_LEFT = new ConcurrentLinkedQueue<>();

    private static Vertx vertx;
    private static MinerServer server;
    private static Probe probe;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        SubnetFixture subnet = new SubnetFixture();
        subnet.validator(VALIDATOR, 5_000);
        subnet.miner(MINER, 1);
        server = MinerServer.builder().vertx(vertx).hotkey(MINER).netuid(SubnetFixture.NETUID)
                .metagraph(subnet::metagraph).port(0).miner(query -> {
                    TIME_LEFT.add(query.deadline() - System.currentTimeMillis());
                    return "an answer";
                }).start().await();
        probe = new Probe(vertx, server.port());
    }

    @AfterAll
    static void stop() {
        probe.close();
        server.close().await();
        vertx.close().await();
    }

    @Test
    void aValidatorClockAheadOrBehindNeitherStretchesNorShrinksTheHandlersBudget() {
        for (long skewMs : new long[] {6_000, -6_000}) {
            TIME_LEFT.clear();
            long validatorNow = System.currentTimeMillis() + skewMs;
            Probe.Reply reply = probe.send(Probe.signed(VALIDATOR, MINER.address(), validatorNow, SubnetFixture.NETUID));
            assertThat(reply.status()).as("skew %d ms, inside the default timestamp window", skewMs).isEqualTo(200);
            assertThat(TIME_LEFT).singleElement().satisfies(left -> assertThat(left)
                    .as("time left seen by the handler with the validator %d ms off", skewMs)
                    .isPositive().isLessThanOrEqualTo(BUDGET_MS));
        }
    }
}
