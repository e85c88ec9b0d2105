package dev.chorus.validator;

import dev.chorus.chain.ChainException;
import dev.chorus.chain.FeeAboveCeiling;
import dev.chorus.chain.Hyperparameters;
import dev.chorus.chain.Metagraph;
import dev.chorus.chain.Neuron;
import dev.chorus.chain.SubnetChain;
import dev.chorus.chain.TransactionRejected;
import dev.chorus.chain.WeightsRejected;
import dev.chorus.config.ChainSettings;
import dev.chorus.validator.admin.Readiness;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.Callable;

/**
 * This validator's view of the chain, as the last metagraph sync left it: the metagraph and hyperparameters, the
 * block, its own uid, its mode and whether it is ready. Every chain call, the sync's and the weights', goes through
 * {@link #onChain} on the chain pool, so that an outage is logged once and the sync that reaches the node again says so.
 * It runs on the service's event loop, as the service's timer calls it; only {@link #metagraph()} is read elsewhere.
 */
final class MetagraphSync {

    /** What the sync is built from, fixed for the service's life. */
    record Parts(SubnetChain chain, int netuid, String hotkey, ChainSettings settings, boolean dryRun,
                 ValidatorMetrics metrics) {
    }

    /** What the service does with each metagraph, on its event loop. */
    interface Host {
        /** Brings the score book and the rounds' tallies in line with the uids' hotkeys, before the metagraph is applied. */
        void followHotkeys(List<String> hotkeys);

        /** Acts on the metagraph just applied; a throw fails the sync as a metagraph that could not be applied. */
        void synced();
    }

    private final SubnetChain chain;
    private final int netuid;
    private final String hotkey;
    private final ChainSettings settings;
    private final boolean dryRun;
    private final ValidatorMetrics metrics;
    private final WorkerExecutor chainPool;
    private final Host host;

    /** Written on the home loop at each sync; read by organic rounds on the organic listener's loop. */
    private volatile Metagraph metagraph;
    private Hyperparameters hyperparameters;
    /** Whether the first sync, whose failure for a missing subnet fails the start, is over; set on the event loop. */
    private boolean firstSyncDone;
    /** The block of the subnet's last epoch as of the last sync; 0 before its first. */
    private long lastEpochBlock;
    private long block;
    private OptionalInt uid = OptionalInt.empty();
    private Readiness readiness = Readiness.notReady("not synced with the chain yet");
    private String chainError = "";
    /** The chain failure last logged, so an outage is logged once rather than at every refresh; null while calls succeed. */
    private volatile String lastChainFailure;
    private volatile boolean syncInFlight;

    MetagraphSync(Parts parts, WorkerExecutor chainPool, Host host) {
        this.chain = parts.chain();
        this.netuid = parts.netuid();
        this.hotkey = parts.hotkey();
        this.settings = parts.settings();
        this.dryRun = parts.dryRun();
        this.metrics = parts.metrics();
        this.chainPool = chainPool;
        this.host = host;
    }

    /** The last metagraph synced; null before the first sync succeeds. */
    Metagraph metagraph() {
        return metagraph;
    }

    /** The last hyperparameters synced; null before the first sync succeeds. */
    Hyperparameters hyperparameters() {
        return hyperparameters;
    }

    long block() {
        return block;
    }

    /** This validator's uid in the last metagraph; empty when it is not registered. */
    OptionalInt uid() {
        return uid;
    }

    /** Whether the chain lets this validator work, and if not why; the state folder's problems are not in it. */
    Readiness readiness() {
        return readiness;
    }

    /** The {@code chain} part of /api/status: the head, the last sync's failure, and where weights and epochs stand. */
    Map<String, Object> status() {
        Map<String, Object> chain = new LinkedHashMap<>();
        chain.put("block", metagraph == null ? null : block);
        chain.put("error", chainError);
        // The gauge, not the last metagraph: weights accepted since that sync set it to 0, and the dashboard and
        // chorus_validator_blocks_since_weights must not disagree until the next sync (or through an outage).
        long since = metrics.blocksSinceWeights();
        chain.put("blocks_since_weights", since < 0 ? null : since);
        if (hyperparameters != null) {
            long tempo = hyperparameters.tempo();
            chain.put("tempo", tempo);
            // The contract runs an epoch once tempo blocks have passed since the last one (subtensor instead runs
            // one when (block + netuid + 1) % (tempo + 1) is 0); tempo 0 runs none. 0 means due, at the next block.
            chain.put("blocks_to_next_epoch", tempo == 0 ? null : Math.max(0, lastEpochBlock + tempo - block));
        }
        return chain;
    }

    /**
     * The first sync, at start: it may fail for a while (the node not up yet) and start-up goes on, but a subnet that
     * does not exist is a setting to fix, not an outage to wait out.
     */
    Future<Void> firstRefresh() {
        return refresh().recover(this::unlessSubnetMissing).andThen(done -> firstSyncDone = true);
    }

    /**
     * Reads the metagraph and acts on it. Every failure is reported here (a chain failure by {@link #onChain} and
     * readiness, anything else logged), so the timer may drop the future; it fails only for the start to see.
     */
    Future<Void> refresh() {
        // A sync waits behind a slow or retried chain call; queueing one per timer tick would pile them up in an outage.
        if (syncInFlight) {
            return Future.succeededFuture();
        }
        syncInFlight = true;
        // One chain whose last step clears the flag, so the future returned completes only once the sync's state is
        // set. Handlers added side by side to the call's future kept no such order: under load a refresh right after
        // another's future completed found the flag still set and did nothing (MetagraphSyncTest).
        return onChain("metagraph", () -> new Synced(chain.metagraph(netuid), chain.hyperparameters(netuid),
                chain.subnetInfo(netuid).lastEpochBlock()))
                .<Void>compose(synced -> {
                    try {
                        applyMetagraph(synced);
                        host.synced();
                    } catch (RuntimeException e) {
                        ValidatorLog.metagraphNotApplied(synced.metagraph().block(), e);
                        return Future.failedFuture(e);
                    }
                    return Future.succeededFuture();
                }, e -> {
                    chainError = e.getMessage() == null ? e.toString() : e.getMessage();
                    readiness = Readiness.notReady(ChainClients.chainProblem(settings, e));
                    metrics.ready(false);
                    return Future.failedFuture(e);
                })
                .andThen(done -> syncInFlight = false);
    }

    private Future<Void> unlessSubnetMissing(Throwable firstSyncFailure) {
        if (subnetMissing(firstSyncFailure)) {
            return Future.failedFuture(new IllegalStateException("subnet " + netuid + " does not exist on this chain;"
                    + " check chain.netuid (`chorus chain status` shows a local chain's subnet)", firstSyncFailure));
        }
        return Future.succeededFuture();
    }

    private static boolean subnetMissing(Throwable failure) {
        return failure instanceof TransactionRejected rejected && rejected.errorName().equals("SubnetNotExists");
    }

    /** {@code call} on the chain pool, its failure counted and, when the node cannot be reached, logged once per outage. */
    <T> Future<T> onChain(String operation, Callable<T> call) {
        return chainPool.executeBlocking(call, false).onFailure(e -> {
            // a refusal by the chain or by the fee ceiling says nothing about whether the node can be reached
            if (!(e instanceof WeightsRejected) && !(e instanceof FeeAboveCeiling)) {
                metrics.chainRpcError(operation);
                // Interrupted only when the service stops mid-retry: saying rounds go on would follow "stopped".
                // A subnet missing at the first sync fails the start, whose message says what to fix: a line
                // saying that rounds go on would contradict it.
                boolean failsTheStart = !firstSyncDone && subnetMissing(e);
                if (e instanceof ChainException && !(e.getCause() instanceof InterruptedException) && !failsTheStart) {
                    // An outage fails every refresh the same way: the first says so, the metric counts the rest.
                    String failure = operation + ": " + e;
                    if (!failure.equals(lastChainFailure)) {
                        ValidatorLog.chainUnreachable(operation, ChainClients.chainProblem(settings, e));
                        lastChainFailure = failure;
                    }
                }
            }
        });
    }

    private record Synced(Metagraph metagraph, Hyperparameters hyperparameters, long lastEpochBlock) {
    }

    private void applyMetagraph(Synced synced) {
        Metagraph next = synced.metagraph();
        String modeBefore = metagraph == null ? null : mode();
        chainError = "";
        if (lastChainFailure != null) {
            ValidatorLog.chainReachable(next.block());
            lastChainFailure = null;
        }
        host.followHotkeys(next.neurons().stream().map(Neuron::hotkey).toList());
        metagraph = next;
        hyperparameters = synced.hyperparameters();
        lastEpochBlock = synced.lastEpochBlock();
        block = next.block();
        uid = next.byHotkey(hotkey).map(n -> OptionalInt.of(n.uid())).orElse(OptionalInt.empty());
        metrics.block(block);
        if (uid.isEmpty()) {
            readiness = Readiness.notReady("hotkey " + hotkey + " is not registered on netuid " + netuid
                    + " (register it: `chorus chain register` on a local chain)");
        } else if (!next.neuron(uid.getAsInt()).validatorPermit() && !dryRun) {
            readiness = Readiness.notReady("hotkey " + hotkey + " has no validator permit (observer): permits go to the"
                    + " largest stakes at each epoch (the subnet's maxAllowedValidators, each at least its stakeThreshold),"
                    + " so add stake (`chorus chain stake` on a local chain)");
        } else {
            readiness = Readiness.ok();
        }
        metrics.ready(readiness.ready());
        String modeNow = mode();
        if (modeBefore != null && !modeBefore.equals(modeNow)) {
            ValidatorLog.modeChanged(modeBefore, modeNow, readiness.reason());
        }
        metrics.blocksSinceWeights(blocksSinceWeights(next, uid));
    }

    /** What this validator does on the subnet, as the start line, /api/status and a mode change's log line name it. */
    String mode() {
        if (dryRun) {
            return "dry-run";
        }
        if (uid.isEmpty()) {
            return "observer (not registered)";
        }
        return metagraph != null && metagraph.neuron(uid.getAsInt()).validatorPermit() ? "validating" : "observer (no validator permit)";
    }

    /** Blocks since {@code uid} last set weights in {@code now}; -1 when it is not registered or never set any. */
    static long blocksSinceWeights(Metagraph now, OptionalInt uid) {
        if (uid.isEmpty()) {
            return -1;
        }
        long last = now.neuron(uid.getAsInt()).lastUpdate();
        return last == 0 ? -1 : now.block() - last;
    }
}
