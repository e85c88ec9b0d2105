package dev.chorus.validator;

import dev.chorus.chain.Hyperparameters;
import dev.chorus.chain.Metagraph;
import dev.chorus.chain.Neuron;
import dev.chorus.chain.PendingCommit;
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

        Due(Future<?> chainAnswer) {
            this(operation -> chainAnswer);
        }

        Due(Function<String, Future<?>> chainAnswers) {
            this.metagraph = subnet().metagraph();
            this.chainAnswers = chainAnswers;
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
            return Hyperparameters.localDevelopment(10).with("commitRevealEnabled", "false");
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
