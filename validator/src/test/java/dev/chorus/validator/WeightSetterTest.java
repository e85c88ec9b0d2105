package dev.chorus.validator;

import dev.chorus.chain.Hyperparameters;
import dev.chorus.chain.Metagraph;
import dev.chorus.chain.Neuron;
import dev.chorus.chain.PendingCommit;
import dev.chorus.chain.ReceiptTimeout;
import dev.chorus.chain.SubnetChain;
import dev.chorus.chain.WeightRow;
import dev.chorus.chain.TransactionRejected;
import dev.chorus.chain.WeightsRejected;
import dev.chorus.config.WeightSettings;
import dev.chorus.miner.protocol.Hotkey;
import dev.chorus.miner.testing.SubnetFixture;
import dev.chorus.validator.state.ValidatorState;
import io.vertx.core.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/** The weight setter's decisions on a scripted chain: every chain call and save is a completed future. */
class WeightSetterTest {

    private static final Hotkey SELF = Hotkey.random();
    private static final Hotkey MINER = Hotkey.random();

    private final ValidatorMetrics metrics = new ValidatorMetrics();

    @AfterEach
    void close() {
        metrics.close();
    }

    /** A validator at uid 0 with a permit, a serving miner at uid 1 with a positive score, weights due. */
    private static final class Due implements WeightSetter.View, WeightSetter.Host {
        private final Metagraph metagraph;
        /** The chain's answer to each operation. */
        private final Function<String, Future<?>> chainAnswers;
        private final Hyperparameters hyperparameters;

        Due(Future<?> chainAnswer) {
            this(operation -> chainAnswer);
        }

        Due(Function<String, Future<?>> chainAnswers) {
            this(chainAnswers, Hyperparameters.localDevelopment(10).with("commitRevealEnabled", "false"));
        }

        Due(Function<String, Future<?>> chainAnswers, Hyperparameters hyperparameters) {
            this.metagraph = subnet().metagraph();
            this.chainAnswers = chainAnswers;
            this.hyperparameters = hyperparameters;
        }

        static SubnetFixture subnet() {
            SubnetFixture subnet = new SubnetFixture();
            subnet.validator(SELF, 1_000);
            subnet.miner(MINER, 9000);
            return subnet;
        }

        @Override
        public Metagraph metagraph() {
            return metagraph;
        }

        @Override
        public Hyperparameters hyperparameters() {
            return hyperparameters;
        }

        @Override
        public long block() {
            return metagraph.block();
        }

        @Override
        public OptionalInt uid() {
            return OptionalInt.of(0);
        }

        @Override
        public double[] scores() {
            return new double[]{0, 1};
        }

        @Override
        public boolean stopping() {
            return false;
        }

        @Override
        public boolean roundRecordedSinceStart() {
            return true;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> Future<T> onChain(String operation, Callable<T> call) {
            return (Future<T>) chainAnswers.apply(operation);
        }

        @Override
        public Future<Void> saveStateNow() {
            return Future.succeededFuture();
        }

        @Override
        public void saveStateLater() {
        }
    }

    private WeightSetter setter(Due chain) {
        return new WeightSetter(new WeightSetter.Parts(null, SubnetFixture.NETUID, SELF.address(), WeightSettings.defaults(),
                new Random(1), metrics), chain, chain);
    }

    /**
     * /api/status's reason is the enum's name in lower case, as the weights metric's label is, on a host of any
     * language: in Turkish, "I" lower-cases to a dotless "ı", which no script matching "commit_reveal_enabled" finds.
     */
    @Test
    void rejectionReasonIsTheSameOnAHostInTurkish() {
        Locale before = Locale.getDefault();
        Locale.setDefault(Locale.forLanguageTag("tr-TR"));
        try {
            WeightSetter weights = setter(new Due(Future.failedFuture(new WeightsRejected(
                    WeightsRejected.Reason.COMMIT_REVEAL_ENABLED,
                    new TransactionRejected("set_weights", "CommitRevealEnabled", List.of(), "0xabc")))));

            weights.maybeSetWeights();

            assertThat(weights.lastRejection()).containsEntry("reason", "commit_reveal_enabled")
                    .containsEntry("operation", "set_weights");
            assertThat(weights.pending()).as("a rejected set is not pending").isNull();
        } finally {
            Locale.setDefault(before);
        }
    }

    /**
     * A commit is gone from the chain's pending commits and our weights row holds its very weights, as it does when
     * scores are steady and the tempo before revealed the same vector. Whether it was revealed or reorganised away is
     * told by our last-update stamp, which the commit set and a reveal leaves.
     */
    @Test
    void aVanishedCommitEqualToTheWeightsOnChainIsLostWhenItsStampIsGone() {
        WeightSetter weights = setter(new Due(chainHolding(COMMIT_BLOCK - 10)));
        weights.restore(null, COMMITTED);

        weights.settlePending();

        assertThat(weights.pending()).isNull();
        assertThat(weights.lastWeights()).as("nothing recorded as revealed").isNull();
        assertThat(metrics.registry().counter("chorus_validator_weights_submissions", "outcome", "commit_lost").count()).isEqualTo(1);
    }

    @Test
    void aVanishedCommitEqualToTheWeightsOnChainWasRevealedWhenItsStampIsKept() {
        WeightSetter weights = setter(new Due(chainHolding(COMMIT_BLOCK)));
        weights.restore(null, COMMITTED);

        weights.settlePending();

        assertThat(weights.pending()).isNull();
        assertThat(weights.lastWeights().status()).isEqualTo("revealed");
        assertThat(metrics.registry().counter("chorus_validator_weights_submissions", "outcome", "commit_lost").count()).isZero();
    }

    /**
     * A reveal sent in its reveal epoch whose receipt did not come within chain.receipt_timeout, then was mined: the
     * commit is gone from the chain, our row holds its weights and our last update still carries the commit's block
     * (a reveal leaves it). That is a reveal that landed, not a commit reorganised away.
     */
    @Test
    void aRevealMinedAfterItsReceiptTimedOutIsFoundRevealed() {
        Function<String, Future<?>> chain = chainHolding(REVEALABLE.block());
        Due due = new Due(operation -> switch (operation) {
            case "reveal_weights" -> Future.failedFuture(new ReceiptTimeout("reveal_weights", REVEAL_TX, Duration.ofSeconds(60)));
            case "transaction" -> Future.succeededFuture(SubnetChain.TransactionFate.MINED);
            default -> chain.apply(operation);
        }, COMMIT_REVEAL);
        WeightSetter weights = setter(due);
        weights.restore(null, REVEALABLE);

        weights.maybeSetWeights();
        assertThat(weights.pending().status()).as("the reveal sent, its receipt not seen").isEqualTo("reveal_sent");
        weights.settlePending();

        assertThat(weights.pending()).isNull();
        assertThat(weights.lastWeights()).as("the reveal recorded").extracting(ValidatorState.WeightsRecord::status).isEqualTo("revealed");
        assertThat(metrics.registry().counter("chorus_validator_weights_submissions", "outcome", "commit_lost").count()).isZero();
    }

    /**
     * A commit whose receipt did not come in time, found on chain at the next sync, is then revealed without a receipt
     * either: the commit's block is the one the chain gives, not the head when the receipt was given up, so our
     * last-update stamp, which the commit set, still tells the reveal landed.
     */
    @Test
    void aCommitFoundOnChainKeepsItsBlockForTheRevealsSettlement() {
        Function<String, Future<?>> revealed = chainHolding(REVEALABLE.block());
        boolean[] landed = {false};
        Due due = new Due(operation -> switch (operation) {
            case "pending_commits" -> Future.succeededFuture(landed[0] ? List.<PendingCommit>of()
                    : List.of(new PendingCommit(REVEALABLE.commitHash(), REVEALABLE.epoch(), REVEALABLE.block())));
            case "reveal_weights" -> {
                landed[0] = true;
                yield Future.failedFuture(new ReceiptTimeout("reveal_weights", REVEAL_TX, Duration.ofSeconds(60)));
            }
            case "transaction" -> Future.succeededFuture(SubnetChain.TransactionFate.MINED);
            default -> revealed.apply(operation);
        }, COMMIT_REVEAL);
        WeightSetter weights = setter(due);
        // as a commit_weights receipt timeout leaves it: the head of a later sync, not the commit's block
        weights.restore(null, REVEALABLE.with("sent", REVEALABLE.txHash(), 96, "no receipt within chain.receipt_timeout"));

        weights.settlePending();
        assertThat(weights.pending().status()).isEqualTo("committed");
        weights.maybeSetWeights();
        weights.settlePending();

        assertThat(weights.lastWeights()).as("the reveal recorded").extracting(ValidatorState.WeightsRecord::status).isEqualTo("revealed");
        assertThat(metrics.registry().counter("chorus_validator_weights_submissions", "outcome", "commit_lost").count()).isZero();
    }

    /** A reveal still in the node's pool is waited for while its reveal epoch lasts, not settled and sent again. */
    @Test
    void aPooledRevealIsWaitedForInItsRevealEpoch() {
        Due due = new Due(operation -> switch (operation) {
            case "reveal_weights" -> Future.failedFuture(new ReceiptTimeout("reveal_weights", REVEAL_TX, Duration.ofSeconds(60)));
            case "transaction" -> Future.succeededFuture(SubnetChain.TransactionFate.POOLED);
            default -> throw new AssertionError("unexpected chain call " + operation);
        }, COMMIT_REVEAL);
        WeightSetter weights = setter(due);
        weights.restore(null, REVEALABLE);

        weights.maybeSetWeights();
        weights.settlePending();

        assertThat(weights.pending().status()).isEqualTo("reveal_sent");
        assertThat(weights.pending().txHash()).isEqualTo(REVEAL_TX);
    }

    /** Tempo 10 on netuid 7: blocks 92 to 102 are epoch 9, where a commit of epoch 8 (block 90) is revealed. */
    private static final Hyperparameters COMMIT_REVEAL = Hyperparameters.localDevelopment(10)
            .with("commitRevealEnabled", "true").with("revealPeriod", "1");
    private static final ValidatorState.WeightsRecord REVEALABLE = new ValidatorState.WeightsRecord("w85-1", "commit",
            List.of(1), List.of(65535), 0, List.of(1, 2), "0x" + "ab".repeat(32), 90, 8, "0x" + "cd".repeat(32),
            "committed", "");
    private static final String REVEAL_TX = "0x" + "ef".repeat(32);

    private static final long COMMIT_BLOCK = 500;
    private static final ValidatorState.WeightsRecord COMMITTED = new ValidatorState.WeightsRecord("w490-1", "commit",
            List.of(1), List.of(65535), 0, List.of(1, 2), "0x" + "ab".repeat(32), COMMIT_BLOCK, 49, "0x" + "cd".repeat(32),
            "committed", "");

    /** A chain with no pending commit, our row holding the committed weights, and our last update stamped at {@code stamp}. */
    private static Function<String, Future<?>> chainHolding(long stamp) {
        Metagraph metagraph = Due.subnet().metagraph();
        List<Neuron> neurons = new ArrayList<>(metagraph.neurons());
        Neuron self = neurons.get(0);
        neurons.set(0, new Neuron(self.uid(), self.hotkey(), self.coldkey(), self.stake(), self.axon(), self.validatorPermit(),
                self.active(), stamp, self.registeredAt(), self.consensus(), self.incentive(), self.dividends(),
                self.validatorTrust(), self.emission()));
        Map<String, Future<?>> answers = Map.of(
                "pending_commits", Future.succeededFuture(List.<PendingCommit>of()),
                "weights_row", Future.succeededFuture(new WeightRow(SubnetFixture.NETUID, 0, COMMITTED.uids(), COMMITTED.values())),
                "metagraph", Future.succeededFuture(new Metagraph(SubnetFixture.NETUID, COMMIT_BLOCK + 20, neurons)));
        return operation -> {
            Future<?> answer = answers.get(operation);
            if (answer == null) {
                throw new AssertionError("unexpected chain call " + operation);
            }
            return answer;
        };
    }
}
