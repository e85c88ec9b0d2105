package dev.chorus.validator;

import dev.chorus.chain.AxonInfo;
import dev.chorus.chain.ChainException;
import dev.chorus.chain.Hyperparameters;
import dev.chorus.chain.Metagraph;
import dev.chorus.chain.Neuron;
import dev.chorus.chain.SubnetChain;
import dev.chorus.chain.SubnetInfo;
import dev.chorus.config.ChainSettings;
import dev.chorus.validator.hardening.LogSecretScan;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.lang.reflect.Proxy;
import java.math.BigInteger;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MetagraphSyncTest {

    private static final String SELF = "0xself";
    private static final int NETUID = 1;

    private final Vertx vertx = Vertx.vertx();
    private final WorkerExecutor chainPool = vertx.createSharedWorkerExecutor("test-chain", 1);
    private final ValidatorMetrics metrics = new ValidatorMetrics();

    @AfterEach
    void close() throws Exception {
        metrics.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static Neuron neuron(int uid, String hotkey, boolean permit, long lastUpdate) {
        return new Neuron(uid, hotkey, String.format("0x%040x", uid + 1001), BigInteger.ZERO, AxonInfo.NONE, permit, true,
                lastUpdate, 0, 0, 0, 0, 0, BigInteger.ZERO);
    }

    /**
     * A chain that answers the sync's reads from {@code metagraph}, its last epoch at block 360; anything else is not
     * the sync's to call.
     */
    private static SubnetChain chainAnswering(Supplier<Metagraph> metagraph, Hyperparameters params) {
        return (SubnetChain) Proxy.newProxyInstance(SubnetChain.class.getClassLoader(), new Class<?>[]{SubnetChain.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "metagraph" -> metagraph.get();
                    case "hyperparameters" -> params;
                    case "subnetInfo" -> new SubnetInfo(NETUID, "0xowner", 2, 1, 360, 1,
                            OptionalInt.empty());
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    /** What the service is told at each sync, and what the sync showed while it was told. */
    private static final class RecordingHost implements MetagraphSync.Host {
        MetagraphSync sync;
        final List<List<String>> followed = new ArrayList<>();
        final List<Metagraph> visibleWhileFollowing = new ArrayList<>();
        int synced;

        @Override
        public void followHotkeys(List<String> hotkeys) {
            followed.add(hotkeys);
            visibleWhileFollowing.add(sync.metagraph());
        }

        @Override
        public void synced() {
            synced++;
        }
    }

    private MetagraphSync sync(SubnetChain chain, boolean dryRun, RecordingHost host) {
        MetagraphSync sync = new MetagraphSync(new MetagraphSync.Parts(chain, NETUID, SELF, ChainSettings.defaults(), dryRun,
                metrics), chainPool, host);
        host.sync = sync;
        return sync;
    }

    /**
     * Refreshes on an event loop, as the service does, and returns the failure once the logging handler has run: a call
     * that fails at once completes on the worker before refresh has added its later handlers, which then run at once
     * while the logging one waits in the event loop's queue, so the failure is handed over from behind it.
     */
    private Throwable refreshFailure(MetagraphSync sync) throws Exception {
        CompletableFuture<Throwable> failed = new CompletableFuture<>();
        vertx.runOnContext(v -> sync.refresh().onComplete(done ->
                Vertx.currentContext().runOnContext(queued -> failed.complete(done.cause()))));
        return failed.get(10, TimeUnit.SECONDS);
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /**
     * Blocks to the next epoch follow the contract, which runs one once tempo blocks have passed since the last: block
     * 500 with tempo 360 and the last epoch at block 360 is 220 before the next. (Subtensor's rule, which this showed
     * before, said 219 and drifted a block further from the contract's every epoch.)
     */
    @Test
    void statusShowsWhereWeightsAndTheNextEpochStandOnceSynced() throws Exception {
        Metagraph metagraph = new Metagraph(NETUID, 500, List.of(neuron(0, SELF, true, 480), neuron(1, "0xminer", false, 0)));
        RecordingHost host = new RecordingHost();
        MetagraphSync sync = sync(chainAnswering(() -> metagraph, Hyperparameters.defaults()), false, host);

        Map<String, Object> before = sync.status();
        assertThat(before).containsEntry("block", null).containsEntry("error", "").containsEntry("blocks_since_weights", null)
                .doesNotContainKeys("tempo", "blocks_to_next_epoch");
        assertThat(sync.readiness().reason()).isEqualTo("not synced with the chain yet");

        await(sync.refresh());

        assertThat(sync.status()).containsExactly(Map.entry("block", 500L), Map.entry("error", ""),
                Map.entry("blocks_since_weights", 20L), Map.entry("tempo", 360L), Map.entry("blocks_to_next_epoch", 220L));
        assertThat(sync.uid()).isEqualTo(OptionalInt.of(0));
        assertThat(sync.mode()).isEqualTo("validating");
        assertThat(sync.readiness().ready()).isTrue();
        assertThat(host.synced).isEqualTo(1);
    }

    /**
     * Organic rounds read the metagraph from another event loop, so the book must follow the new hotkeys before the
     * new metagraph is published.
     */
    @Test
    void theBookFollowsTheHotkeysBeforeTheNewMetagraphIsSeen() throws Exception {
        List<Metagraph> served = List.of(
                new Metagraph(NETUID, 10, List.of(neuron(0, SELF, true, 0), neuron(1, "0xold", false, 0))),
                new Metagraph(NETUID, 20, List.of(neuron(0, SELF, true, 0), neuron(1, "0xnew", false, 0))));
        int[] next = {0};
        RecordingHost host = new RecordingHost();
        MetagraphSync sync = sync(chainAnswering(() -> served.get(next[0]++), Hyperparameters.defaults()), false, host);

        await(sync.refresh());
        await(sync.refresh());

        assertThat(host.followed).containsExactly(List.of(SELF, "0xold"), List.of(SELF, "0xnew"));
        assertThat(host.visibleWhileFollowing).containsExactly(null, served.get(0));
        assertThat(sync.metagraph()).isEqualTo(served.get(1));
    }

    @ParameterizedTest
    @CsvSource({
            "true,  true,  false, validating,                     ''",
            "true,  false, false, observer (no validator permit), has no validator permit",
            "false, false, false, observer (not registered),      is not registered on netuid 1",
            "true,  false, true,  dry-run,                        ''",
    })
    void modeAndReadinessFollowRegistrationAndPermit(boolean registered, boolean permit, boolean dryRun, String mode,
                                                     String notReadyBecause) throws Exception {
        Metagraph metagraph = new Metagraph(NETUID, 100, List.of(neuron(0, registered ? SELF : "0xother", permit, 0)));
        MetagraphSync sync = sync(chainAnswering(() -> metagraph, Hyperparameters.defaults()), dryRun, new RecordingHost());

        await(sync.refresh());

        assertThat(sync.mode()).isEqualTo(mode);
        assertThat(sync.readiness().ready()).isEqualTo(notReadyBecause.isEmpty());
        assertThat(sync.readiness().reason()).contains(notReadyBecause);
    }

    /** A failed read leaves the last view, says why in readiness and status, and does not act as if synced. */
    @Test
    void aFailedSyncIsReportedAndNothingIsApplied() throws Exception {
        RecordingHost host = new RecordingHost();
        MetagraphSync sync = sync(chainAnswering(() -> {
            throw new ChainException("node said no");
        }, Hyperparameters.defaults()), false, host);

        assertThatThrownBy(() -> await(sync.refresh())).isInstanceOf(ExecutionException.class)
                .hasRootCauseInstanceOf(ChainException.class);

        assertThat(sync.status()).containsEntry("error", "node said no").containsEntry("block", null);
        assertThat(sync.readiness().ready()).isFalse();
        assertThat(sync.readiness().reason()).startsWith("chain call failed at ").endsWith(": node said no");
        assertThat(host.followed).isEmpty();
        assertThat(host.synced).isZero();
    }

    /** A failure without a message (a bug in a client, say) still shows in status as an error, never as none. */
    @Test
    void aFailureWithoutAMessageIsShownByItsKind() throws Exception {
        MetagraphSync sync = sync(chainAnswering(() -> {
            throw new IllegalStateException();
        }, Hyperparameters.defaults()), false, new RecordingHost());

        assertThatThrownBy(() -> await(sync.refresh())).isInstanceOf(ExecutionException.class);

        assertThat(sync.status()).containsEntry("error", "java.lang.IllegalStateException");
        assertThat(sync.readiness().reason()).endsWith(": java.lang.IllegalStateException");
    }

    /**
     * Weights accepted between two syncs set the gauge to 0 (WeightSetter does so on the receipt); /api/status, and so
     * the dashboard, shows the same number rather than the last sync's until the next one.
     */
    @Test
    void statusAgreesWithTheGaugeOnceWeightsAreAcceptedBetweenSyncs() throws Exception {
        Metagraph metagraph = new Metagraph(NETUID, 500, List.of(neuron(0, SELF, true, 480)));
        MetagraphSync sync = sync(chainAnswering(() -> metagraph, Hyperparameters.defaults()), false, new RecordingHost());
        await(sync.refresh());

        metrics.blocksSinceWeights(0);

        assertThat(sync.status()).containsEntry("blocks_since_weights", 0L);
    }

    /** The outage's one WARN line says what to check, as /health/ready does, not just the exception's class and text. */
    @Test
    void anUnreachableNodeIsLoggedWithWhatToCheck() throws Exception {
        MetagraphSync sync = sync(chainAnswering(() -> {
            throw new ChainException("eth_call failed after 4 attempts: timeout", new SocketTimeoutException("timeout"));
        }, Hyperparameters.defaults()), false, new RecordingHost());

        try (LogSecretScan log = LogSecretScan.start()) {
            assertThat(refreshFailure(sync)).isInstanceOf(ChainException.class);

            assertThat(log.text()).contains("chain call metagraph failed: chain unreachable at http://127.0.0.1:8545:"
                    + " eth_call failed after 4 attempts: timeout; check chain.rpc_url and that the node is running")
                    .doesNotContain(ChainException.class.getName());
        }
    }

    /** Stopping interrupts a call waiting to retry; the WARN that rounds go on would then follow the "stopped" line. */
    @Test
    void aCallInterruptedByStoppingIsNotLoggedAsAnOutage() throws Exception {
        MetagraphSync sync = sync(chainAnswering(() -> {
            throw new ChainException("interrupted while waiting on the chain", new InterruptedException());
        }, Hyperparameters.defaults()), false, new RecordingHost());

        try (LogSecretScan log = LogSecretScan.start()) {
            assertThat(refreshFailure(sync)).isInstanceOf(ChainException.class);

            assertThat(log.text()).doesNotContain("chain call metagraph failed");
        }
    }

    /** chorus_validator_blocks_since_weights is -1 for a hotkey not (or no longer) registered, as its description says. */
    @Test
    void blocksSinceWeightsIsMinusOneUnlessRegisteredWithWeightsSet() {
        Metagraph now = new Metagraph(1, 500, List.of(neuron(0, "0xaa", false, 480), neuron(1, "0xbb", false, 0)));

        assertThat(MetagraphSync.blocksSinceWeights(now, OptionalInt.of(0))).isEqualTo(20);
        assertThat(MetagraphSync.blocksSinceWeights(now, OptionalInt.of(1))).as("registered, never set weights").isEqualTo(-1);
        assertThat(MetagraphSync.blocksSinceWeights(now, OptionalInt.empty())).as("not registered").isEqualTo(-1);
    }
}
