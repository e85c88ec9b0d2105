package dev.chorus.validator;

import dev.chorus.chain.ChainReceipt;
import dev.chorus.chain.FeeAboveCeiling;
import dev.chorus.chain.Hyperparameters;
import dev.chorus.chain.Metagraph;
import dev.chorus.chain.Neuron;
import dev.chorus.chain.PendingCommit;
import dev.chorus.chain.ReceiptTimeout;
import dev.chorus.chain.SubnetChain;
import dev.chorus.chain.WeightRow;
import dev.chorus.chain.WeightVector;
import dev.chorus.chain.WeightsRejected;
import dev.chorus.config.WeightSettings;
import dev.chorus.validator.state.ValidatorState;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * Puts this validator's weights on chain: sets them (or commits and later reveals them) once a tempo, saving each
 * intent before it is sent, and settles a submission whose outcome was not seen by what the chain holds. It runs on
 * the service's event loop, as the service's sync calls it; chain calls and state saves go through the service's pools.
 */
final class WeightSetter {

    /** What the weights are built from, fixed for the service's life. */
    record Parts(SubnetChain chain, int netuid, String hotkey, WeightSettings settings, Random random,
                 ValidatorMetrics metrics) {
    }

    /** What the service knows now, read on its event loop: the last sync's view of the chain, the scores, whether it is stopping. */
    interface View {
        Metagraph metagraph();

        Hyperparameters hyperparameters();

        long block();

        /** This validator's uid in the last metagraph; empty when it is not registered. */
        OptionalInt uid();

        double[] scores();

        boolean stopping();

        /** Whether this process has recorded a round: before that, scores all 0 are expected, not worth a warning. */
        boolean roundRecordedSinceStart();
    }

    /** The service's pools and its state folder, which the weights share with the rounds. */
    interface Host {
        /** {@code call} on the chain pool, its failure counted and logged as every chain call's is. */
        <T> Future<T> onChain(String operation, Callable<T> call);

        /**
         * Saves the state on the disk pool; fails with {@link StateFolder.NotSaved}, the problem already recorded for
         * /health/ready, when the file cannot be written.
         */
        Future<Void> saveStateNow();

        /** Saves the state on the disk pool later, reporting a failure itself; not once stopping. */
        void saveStateLater();
    }

    private static final String COMMIT = "commit";
    /** Status of a weights transaction sent without a receipt yet: it may be mined, pooled or dropped. */
    private static final String SENT = "sent";
    /** Status of a commit whose reveal was sent without a receipt yet. */
    private static final String REVEAL_SENT = "reveal_sent";
    /** Status of weights that were on chain until a reorg took their block away. */
    static final String LOST = "lost";
    /** Salt words mixed into a weights commit, so the hash does not give the weights away. */
    private static final int SALT_LENGTH = 8;

    private final SubnetChain chain;
    private final int netuid;
    private final String hotkey;
    private final WeightSettings settings;
    private final Random random;
    private final ValidatorMetrics metrics;
    private final View view;
    private final Host host;

    private boolean weightsInFlight;
    /** The last weights submission; it completes once its outcome is recorded. */
    private Future<Void> weightsSubmission = Future.succeededFuture();
    /** Weights were due but every score was 0; reported once until a score is positive again. */
    private boolean nothingToWeigh;
    /** Weights were due but their intent could not be saved; reported once until an intent is saved again. */
    private boolean weightsUnsaved;
    /** After a rejection, no weights are sent before this block: the chain would refuse them again. */
    private long weightsNotBefore;
    private volatile Map<String, Object> lastRejection;
    /** Read by state saves on the disk pool. */
    private volatile ValidatorState.WeightsRecord lastWeights;
    private volatile ValidatorState.WeightsRecord pending;

    WeightSetter(Parts parts, View view, Host host) {
        this.chain = parts.chain();
        this.netuid = parts.netuid();
        this.hotkey = parts.hotkey();
        this.settings = parts.settings();
        this.random = parts.random();
        this.metrics = parts.metrics();
        this.view = view;
        this.host = host;
    }

    /** Takes up the weights of a state file loaded at start. */
    void restore(ValidatorState.WeightsRecord lastWeights, ValidatorState.WeightsRecord pending) {
        this.lastWeights = lastWeights;
        this.pending = pending;
    }

    /** The last weights submission whose outcome was recorded; null before any. */
    ValidatorState.WeightsRecord lastWeights() {
        return lastWeights;
    }

    /** A submission whose outcome is not recorded yet, or a commit still to be revealed; null when none. */
    ValidatorState.WeightsRecord pending() {
        return pending;
    }

    /** The last rejection by the chain, as /api/status shows it; null before any. */
    Map<String, Object> lastRejection() {
        return lastRejection;
    }

    /** The last weights submission; it completes once its outcome is recorded. */
    Future<Void> submission() {
        return weightsSubmission;
    }

    /**
     * A submission whose outcome was not recorded (an intent persisted before a crash, a transaction sent without a
     * receipt) is checked against the chain, never blindly resent; a confirmed commit is checked to be still there,
     * since a reorg can drop its block. A transaction sent without a receipt is waited for while the node still pools
     * it, since a second one could land beside it; only once it is mined or gone does the chain's state decide. One
     * pooled for over a tempo is stuck below the base fee: it is given up, and the next send takes over its nonce.
     */
    Future<Void> settlePending() {
        if (view.stopping() || pending == null || view.uid().isEmpty() || weightsInFlight) {
            return Future.succeededFuture();
        }
        ValidatorState.WeightsRecord intent = pending;
        if (SENT.equals(intent.status()) || REVEAL_SENT.equals(intent.status())) {
            return host.onChain("transaction", () -> chain.transactionFate(intent.txHash())).compose(fate -> {
                // A reveal keeps its commit's block, and can land only in its reveal epoch.
                boolean waiting = fate == SubnetChain.TransactionFate.POOLED && (REVEAL_SENT.equals(intent.status())
                        ? epochAt(view.block()) <= intent.epoch() + view.hyperparameters().revealPeriod()
                        : view.block() - intent.block() <= view.hyperparameters().tempo());
                return pending != intent || view.stopping() || waiting ? Future.succeededFuture() : settle(intent);
            });
        }
        if ("intended".equals(intent.status()) || (COMMIT.equals(intent.kind()) && "committed".equals(intent.status()))) {
            return settle(intent);
        }
        return Future.succeededFuture();
    }

    /** Settles {@code intent} by what the chain holds: our weights row, or our pending commits. */
    private Future<Void> settle(ValidatorState.WeightsRecord intent) {
        int own = view.uid().getAsInt();
        if (!COMMIT.equals(intent.kind())) {
            return host.onChain("weights_row", () -> chain.weights(netuid, own)).map(row -> {
                if (pending != intent || view.stopping()) {
                    return null;
                }
                if (matches(row, intent)) {
                    ValidatorLog.weightsFoundOnChain(intent.id());
                    lastWeights = intent.with("confirmed", intent.txHash(), view.metagraph().neuron(own).lastUpdate(),
                            "found on chain, its receipt not seen");
                    metrics.weightsSubmission("confirmed_late");
                }
                pending = null;
                host.saveStateLater();
                return null;
            });
        }
        boolean committed = "committed".equals(intent.status()) || REVEAL_SENT.equals(intent.status());
        return host.onChain("pending_commits", () -> chain.pendingCommits(netuid, hotkey)).compose(commits -> {
            if (pending != intent || view.stopping()) {
                return Future.succeededFuture();
            }
            Optional<PendingCommit> onChain = commits.stream().filter(c -> c.hash().equalsIgnoreCase(intent.commitHash())).findFirst();
            if (onChain.isPresent()) {
                if (!"committed".equals(intent.status())) {
                    // an intent or commit that landed unseen, or a reveal that did not land: (still) to be revealed
                    if (!committed) {
                        ValidatorLog.weightsFoundOnChain(intent.id());
                    }
                    // The chain's block for the commit: the stamp check below compares our last update with it.
                    pending = intent.with("committed", intent.txHash(), onChain.get().block(), committed ? "its reveal did not land" : "found on chain");
                    host.saveStateLater();
                }
                return Future.succeededFuture();
            }
            if (!committed) {
                pending = null;
                host.saveStateLater();
                return Future.succeededFuture();
            }
            // A commit leaves the chain when it is revealed, not only when a reorg takes its block: a reveal whose
            // outcome was not recorded (no receipt, or a crash after sending it) left our weights row equal to the commit.
            // The row alone cannot tell: steady scores make a commit equal to the weights revealed a tempo before. The
            // stamp can, since a commit stamps our last update and a reveal leaves it: a stamp older than the commit
            // means the commit's block is gone. Both are read now, after the commits, not from the last sync.
            return host.onChain("weights_row", () -> chain.weights(netuid, own)).compose(row ->
                    host.onChain("metagraph", () -> chain.metagraph(netuid)).map(now -> {
                if (pending != intent || view.stopping()) {
                    return null;
                }
                pending = null;
                boolean stampKept = own < now.size() && now.neuron(own).lastUpdate() >= intent.block();
                if (stampKept && matches(row, intent)) {
                    lastWeights = intent.with("revealed", intent.txHash(), view.block(), "found revealed on chain, the reveal's receipt not seen");
                    metrics.weightsSubmission("revealed");
                    ValidatorLog.revealFoundOnChain(intent.id(), view.block());
                } else {
                    metrics.weightsSubmission("commit_lost");
                    ValidatorLog.commitLost(intent.id(), intent.txHash(), intent.block());
                }
                host.saveStateLater();
                return null;
            }));
        });
    }

    /**
     * Setting weights stamps the neuron's last update with the block that holds the transaction; a metagraph read at
     * or after that block with an older stamp means a reorg took the block away. The weights are then sent again at
     * once instead of a tempo later. (A reveal leaves the stamp of its commit, whose loss {@link #settlePending}
     * notices.)
     */
    void noticeLostWeights() {
        ValidatorState.WeightsRecord last = lastWeights;
        if (last == null || view.uid().isEmpty() || COMMIT.equals(last.kind()) || !"confirmed".equals(last.status())
                || view.block() < last.block() || view.metagraph().neuron(view.uid().getAsInt()).lastUpdate() >= last.block()) {
            return;
        }
        lastWeights = last.with(LOST, last.txHash(), last.block(), "its block was reorganised away");
        metrics.weightsSubmission("weights_lost");
        ValidatorLog.weightsLost(last.id(), last.txHash(), last.block());
        host.saveStateLater();
    }

    private static boolean matches(WeightRow row, ValidatorState.WeightsRecord intent) {
        return row.uids().equals(intent.uids()) && row.values().equals(intent.values());
    }

    Future<Void> maybeSetWeights() {
        if (view.stopping() || weightsInFlight || settings.dryRun() || view.uid().isEmpty() || view.hyperparameters() == null
                || view.block() < weightsNotBefore) {
            return Future.succeededFuture();
        }
        Neuron self = view.metagraph().neuron(view.uid().getAsInt());
        if (!self.validatorPermit()) {
            return Future.succeededFuture();
        }
        if (pending != null) {
            // a set still pending was sent without a receipt and may yet land: settlePending waits for it
            return COMMIT.equals(pending.kind()) ? maybeReveal() : Future.succeededFuture();
        }
        long since = view.block() - self.lastUpdate();
        boolean due = since > view.hyperparameters().weightsRateLimit()
                && (lastWeights == null || LOST.equals(lastWeights.status()) || since >= view.hyperparameters().tempo());
        if (!due) {
            return Future.succeededFuture();
        }
        double[] weighed = WeightPolicy.weighedScores(view.scores(), view.metagraph(), hotkey);
        if (!WeightVector.anyPositive(weighed)) {
            if (!view.roundRecordedSinceStart()) {
                return Future.succeededFuture();
            }
            // Weights of all zeros would be refused, and silence here would let them lapse unnoticed.
            metrics.weightsSubmission("skipped_no_scores");
            if (!nothingToWeigh) {
                ValidatorLog.nothingToWeigh(since);
            }
            nothingToWeigh = true;
            return Future.succeededFuture();
        }
        nothingToWeigh = false;
        WeightVector vector = WeightPolicy.vectorFor(weighed, view.hyperparameters(), settings.maxWeightLimit());
        long versionKey = settings.versionKey();
        String id = "w" + view.block() + "-" + Integer.toHexString(random.nextInt());
        if (view.hyperparameters().commitRevealEnabled()) {
            List<Integer> salt = new ArrayList<>();
            for (int i = 0; i < SALT_LENGTH; i++) {
                salt.add(random.nextInt(65536));
            }
            byte[] hash = chain.commitHash(netuid, vector, salt, versionKey);
            ValidatorState.WeightsRecord intent = new ValidatorState.WeightsRecord(id, COMMIT, vector.uids(), vector.values(),
                    versionKey, salt, org.web3j.utils.Numeric.toHexString(hash), view.block(), epochAt(view.block()), null, "intended", "");
            return submit(intent, "commit_weights", () -> chain.commitWeights(netuid, hash),
                    receipt -> pending = intent.with("committed", receipt.txHash(), receipt.block(), ""));
        }
        ValidatorState.WeightsRecord intent = new ValidatorState.WeightsRecord(id, "set", vector.uids(), vector.values(),
                versionKey, List.of(), null, view.block(), epochAt(view.block()), null, "intended", "");
        return submit(intent, "set_weights", () -> chain.setWeights(netuid, vector, versionKey), receipt -> {
            lastWeights = intent.with("confirmed", receipt.txHash(), receipt.block(), "");
            pending = null;
            metrics.blocksSinceWeights(0);
        });
    }

    /** Reveals a confirmed commit in its reveal epoch ({@code commit epoch + reveal_period}); drops it once expired. */
    private Future<Void> maybeReveal() {
        ValidatorState.WeightsRecord commit = pending;
        if (!"committed".equals(commit.status())) {
            return Future.succeededFuture();
        }
        long target = commit.epoch() + view.hyperparameters().revealPeriod();
        long now = epochAt(view.block());
        if (now > target) {
            pending = null;
            metrics.weightsSubmission("commit_expired");
            ValidatorLog.commitExpired(commit.id(), target);
            host.saveStateLater();
            return Future.succeededFuture();
        }
        if (now < target || epochAt(view.block() + 1) != target) {
            return Future.succeededFuture();
        }
        WeightVector vector = new WeightVector(commit.uids(), commit.values());
        return submit(commit, "reveal_weights", () -> chain.revealWeights(netuid, vector, commit.salt(), commit.versionKey()),
                receipt -> {
                    lastWeights = commit.with("revealed", receipt.txHash(), receipt.block(), "");
                    pending = null;
                    metrics.blocksSinceWeights(0);
                });
    }

    private long epochAt(long atBlock) {
        return view.hyperparameters().epochIndexAt(netuid, atBlock);
    }

    /**
     * Persists {@code intent} as pending, then sends it; a receipt is handed to {@code accepted}, a rejection
     * drops the pending submission (except a reveal that came too early), any other failure leaves it to be
     * checked against the chain before anything is sent again. Succeeds once the outcome is recorded, whatever it is.
     */
    private Future<Void> submit(ValidatorState.WeightsRecord intent, String operation,
                                Callable<ChainReceipt> send, Consumer<ChainReceipt> accepted) {
        weightsInFlight = true;
        if ("intended".equals(intent.status())) {
            pending = intent;
            // While the folder stays broken every try ends unsent, which weightsNotSaved has said once.
            if (!weightsUnsaved) {
                ValidatorLog.weightsIntended(intent.id(), intent.uids().size(), view.block());
            }
        }
        weightsSubmission = host.saveStateNow()
                .recover(e -> Future.failedFuture(e instanceof StateFolder.NotSaved unsaved ? new IntentNotSaved(unsaved) : e))
                .onSuccess(saved -> {
                    if (weightsUnsaved) {
                        ValidatorLog.weightsSavedAgain(intent.id(), operation, intent.uids().size());
                    }
                    weightsUnsaved = false;
                })
                .compose(v -> host.onChain(operation, send))
                .onSuccess(receipt -> {
                    accepted.accept(receipt);
                    metrics.weightsSubmission(switch (operation) {
                        case "commit_weights" -> "committed";
                        case "reveal_weights" -> "revealed";
                        default -> "confirmed";
                    });
                    ValidatorLog.weightsConfirmed(intent.id(), operation, receipt.txHash(), receipt.block());
                })
                .onFailure(e -> {
                    if (e instanceof WeightsRejected rejected) {
                        if (rejected.reason() != WeightsRejected.Reason.REVEAL_TOO_EARLY) {
                            pending = null;
                        }
                        weightsNotBefore = view.block() + retryAfterBlocks(rejected.reason(), view.hyperparameters());
                        lastRejection = rejection(intent.id(), operation, rejected);
                        metrics.weightsRejected(rejected.reason());
                        ValidatorLog.weightsRejected(intent.id(), rejected, nextStep(rejected.reason()));
                    } else if (e instanceof IntentNotSaved notSaved) {
                        // Nothing was sent. An intent is dropped, there being nothing to check against the chain
                        // later; a reveal's commit is on chain and stays pending, to be revealed at a later sync.
                        if (pending == intent && "intended".equals(intent.status())) {
                            pending = null;
                        }
                        metrics.weightsSubmission("intent_not_saved");
                        // tried again at every sync while the folder stays broken: said once, counted each time
                        if (notSaved.cause().isNew() || !weightsUnsaved) {
                            ValidatorLog.weightsNotSaved(intent.id(), notSaved.cause().getMessage());
                        }
                        weightsUnsaved = true;
                    } else if (e instanceof FeeAboveCeiling) {
                        metrics.weightsSubmission("fee_above_ceiling");
                        ValidatorLog.weightsNotSent(intent.id(), e);
                    } else if (e instanceof ReceiptTimeout timeout && pending == intent) {
                        // Sent, and maybe still pooled: settlePending waits for it rather than sending it again.
                        boolean reveal = "reveal_weights".equals(operation);
                        // A set or commit keeps the block it was sent by, from which settlePending waits at most a tempo;
                        // a reveal keeps its commit's, with which settle tells a reveal that landed from a lost commit.
                        pending = intent.with(reveal ? REVEAL_SENT : SENT, timeout.txHash(), reveal ? intent.block() : view.block(),
                                "no receipt within chain.receipt_timeout");
                        metrics.weightsSubmission("unconfirmed");
                        ValidatorLog.weightsUnknown(intent.id(), e);
                    } else {
                        metrics.weightsSubmission("unconfirmed");
                        ValidatorLog.weightsUnknown(intent.id(), e);
                    }
                })
                .eventually(() -> {
                    weightsInFlight = false;
                    host.saveStateLater();
                    return Future.succeededFuture();
                })
                // every outcome is counted and logged above, so the caller has nothing left to report
                .<Void>mapEmpty()
                .recover(reported -> Future.succeededFuture());
        return weightsSubmission;
    }

    /** The state file could not be written before a weights transaction, so it was not sent. */
    private static final class IntentNotSaved extends Exception {
        IntentNotSaved(StateFolder.NotSaved cause) {
            super(cause);
        }

        StateFolder.NotSaved cause() {
            return (StateFolder.NotSaved) getCause();
        }
    }

    /** How many blocks to wait before sending weights again after {@code reason}, as {@link #nextStep} tells the operator. */
    static long retryAfterBlocks(WeightsRejected.Reason reason, Hyperparameters params) {
        return switch (reason) {
            case RATE_LIMITED, COMMITTING_TOO_FAST -> params.weightsRateLimit();
            case COMMIT_REVEAL_ENABLED, COMMIT_REVEAL_DISABLED, REVEAL_TOO_EARLY -> 0;
            default -> params.tempo();
        };
    }

    private Map<String, Object> rejection(String id, String operation, WeightsRejected rejected) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("id", id);
        doc.put("operation", operation);
        doc.put("reason", rejected.reason().name().toLowerCase(Locale.ROOT));
        doc.put("message", rejected.operatorMessage());
        doc.put("tx_hash", rejected.txHash().orElse(null));
        doc.put("block", view.block());
        doc.put("retry_after_block", weightsNotBefore);
        return doc;
    }

    static String nextStep(WeightsRejected.Reason reason) {
        return switch (reason) {
            case RATE_LIMITED, COMMITTING_TOO_FAST -> "will try again after weights_rate_limit blocks";
            case NOT_REGISTERED -> "the hotkey was deregistered: register it again (chorus chain register)";
            case NO_VALIDATOR_PERMIT, NOT_ENOUGH_STAKE -> "add stake to regain a validator permit; running as an observer meanwhile";
            case VERSION_KEY -> "the subnet raised weights_version_key: upgrade the validator or set weights.version_key";
            case COMMIT_REVEAL_ENABLED -> "the subnet switched to commit-reveal; weights will be committed";
            case COMMIT_REVEAL_DISABLED -> "the subnet switched commit-reveal off; weights will be set directly";
            case REVEAL_TOO_EARLY -> "will reveal in the reveal epoch";
            default -> "will try again next tempo";
        };
    }
}
