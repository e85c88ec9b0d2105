package dev.chorus.validator;

import dev.chorus.chain.Hyperparameters;
import dev.chorus.chain.Metagraph;
import dev.chorus.chain.TransactionRejected;
import dev.chorus.chain.WeightsRejected;
import dev.chorus.config.WeightSettings;
import dev.chorus.miner.protocol.Hotkey;
import dev.chorus.miner.testing.SubnetFixture;
import io.vertx.core.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.Random;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;

/** The weight setter's decisions on a scripted chain: every chain call and save is a completed future. */
class WeightSetterTest {

    private static final Hotkey SELF = Hotkey.random();

    private final ValidatorMetrics metrics = new ValidatorMetrics();

    @AfterEach
    void close() {
        metrics.close();
    }

    /** A validator at uid 0 with a permit, a serving miner at uid 1 with a positive score, weights due. */
    private static final class Due implements WeightSetter.View, WeightSetter.Host {
        private final Metagraph metagraph;
        private final Future<Object> chainAnswer;

        Due(Future<Object> chainAnswer) {
            SubnetFixture subnet = new SubnetFixture();
            subnet.validator(SELF, 1_000);
            subnet.miner(Hotkey.random(), 9000);
            this.metagraph = subnet.metagraph();
            this.chainAnswer = chainAnswer;
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
            return (Future<T>) chainAnswer;
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
}
