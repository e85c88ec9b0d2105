package dev.chorus.chain.web3j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chorus.chain.Hyperparameters;
import dev.chorus.chain.WeightVector;
import dev.chorus.chain.WeightsRejected;
import dev.chorus.chain.WeightsRejected.Reason;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every setWeights / commit / reveal rejection of subtensor, decoded from a real Anvil. */
class WeightRulesIT {

    @RegisterExtension
    static final ChainFixture fixture = new ChainFixture(2);

    /** A subnet with {@code miners} registered miners and one staked validator holding a permit (the last uid). */
    private record Subnet(int netuid, Hyperparameters hyperparameters, List<Web3jSubnetChain> miners, Web3jSubnetChain validator) {
        int validatorUid() {
            return miners.size();
        }
    }

    private static Subnet subnet(Hyperparameters hyperparameters, int miners) {
        int netuid = fixture.owner().createSubnet(hyperparameters);
        List<Web3jSubnetChain> registered = new ArrayList<>();
        for (int i = 0; i < miners; i++) {
            Web3jSubnetChain miner = fixture.newNeuron();
            miner.register(netuid);
            registered.add(miner);
        }
        Web3jSubnetChain validator = fixture.newNeuron();
        validator.register(netuid);
        validator.addStake(netuid, validator.signer(), BigInteger.valueOf(1_000_000_000L));
        fixture.owner().updateValidatorPermits(netuid);
        return new Subnet(netuid, hyperparameters, registered, validator);
    }

    private static Hyperparameters open() {
        return Hyperparameters.localDevelopment(10);
    }

    private static WeightVector vector(int... uids) {
        List<Integer> u = new ArrayList<>();
        List<Integer> v = new ArrayList<>();
        for (int uid : uids) {
            u.add(uid);
            v.add(1000 + uid);
        }
        return new WeightVector(u, v);
    }

    private static void assertRejected(Reason reason, ThrowingCallable call) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(WeightsRejected.class, e -> {
                    assertThat(e.reason()).isEqualTo(reason);
                    assertThat(e.errorName()).isEqualTo(reason.errorName());
                    assertThat(e.operatorMessage()).contains(reason.explanation());
                });
    }

    // ---- setWeights, in subtensor's check order ---------------------------------------------------

    @Test
    void setWeightsIsRefusedWhileCommitRevealIsOn() {
        Subnet s = subnet(open().with("commitRevealEnabled", "true"), 2);
        assertRejected(Reason.COMMIT_REVEAL_ENABLED, () -> s.validator().setWeights(s.netuid(), vector(0, 1), 0));
    }

    @Test
    void rootNetworkTakesNoWeights() {
        assertRejected(Reason.ROOT_NETWORK, () -> fixture.owner().setWeights(0, vector(0), 0));
    }

    @Test
    void uidsAndValuesMustHaveTheSameLength() {
        Subnet s = subnet(open(), 2);
        assertRejected(Reason.LENGTH_MISMATCH, () -> s.validator().setWeights(s.netuid(), List.of(0, 1), List.of(5), 0));
    }

    @Test
    void subnetMustExist() {
        assertRejected(Reason.SUBNET_MISSING, () -> fixture.owner().setWeights(999, vector(0), 0));
    }

    @Test
    void moreWeightsThanUidsAreRefused() {
        Subnet s = subnet(open(), 1);
        assertRejected(Reason.TOO_MANY_UIDS, () -> s.validator().setWeights(s.netuid(), vector(0, 1, 2), 0));
    }

    @Test
    void unregisteredHotkeyIsRefusedBeforeLaterChecks() {
        Subnet s = subnet(open(), 2);
        Web3jSubnetChain stranger = fixture.newNeuron();
        assertRejected(Reason.NOT_REGISTERED, () -> stranger.setWeights(s.netuid(), List.of(0, 0), List.of(1, 1), 0));
    }

    @Test
    void stakeBelowThresholdIsRefused() {
        Subnet s = subnet(open().with("stakeThreshold", "2000000000"), 2);
        assertRejected(Reason.NOT_ENOUGH_STAKE, () -> s.validator().setWeights(s.netuid(), vector(0, 1), 0));
    }

    /** Nothing reached the chain: the operator must read the node's refusal and the signer to fund, not "another reason". */
    @Test
    void weightsFromAKeyThatCannotPayForGasAreRefusedByTheNodeNamingTheSignerToFund() {
        Subnet s = subnet(open(), 2);
        fixture.chain.setBalance(s.validator().signer(), BigInteger.ZERO);
        assertThatThrownBy(() -> s.validator().setWeights(s.netuid(), vector(0, 1), 0))
                .isInstanceOfSatisfying(WeightsRejected.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.NODE_REFUSED);
                    assertThat(e.txHash()).isEmpty();
                    assertThat(e.operatorMessage()).contains("was refused by the node, nothing was spent",
                            "send funds to " + s.validator().signer()).doesNotContain("another reason");
                });
    }

    @Test
    void versionKeyBelowTheSubnetsIsRefused() {
        Subnet s = subnet(open().with("weightsVersionKey", "10002000"), 2);
        assertRejected(Reason.VERSION_KEY, () -> s.validator().setWeights(s.netuid(), vector(0, 1), 10_001_999));
        s.validator().setWeights(s.netuid(), vector(0, 1), 10_002_000);
        assertThat(s.validator().weights(s.netuid(), s.validatorUid()).uids()).containsExactly(0, 1);
    }

    @Test
    void aNewNeuronWaitsTheRateLimitAfterRegistering() {
        Hyperparameters limited = open().with("weightsRateLimit", "20");
        Subnet s = subnet(limited, 2);
        assertRejected(Reason.RATE_LIMITED, () -> s.validator().setWeights(s.netuid(), vector(0, 1), 0));
        fixture.chain.mine(20);
        s.validator().setWeights(s.netuid(), vector(0, 1), 0);
        assertRejected(Reason.RATE_LIMITED, () -> s.validator().setWeights(s.netuid(), vector(0, 1), 0));
    }

    @Test
    void weightsOnOthersNeedAValidatorPermitButSelfWeightDoesNot() {
        Subnet s = subnet(open(), 2);
        Web3jSubnetChain miner = s.miners().get(0);
        assertRejected(Reason.NO_VALIDATOR_PERMIT, () -> miner.setWeights(s.netuid(), vector(1), 0));
        miner.setWeights(s.netuid(), vector(0), 0);
        assertThat(miner.weights(s.netuid(), 0).values()).containsExactly(65535);
    }

    @Test
    void duplicateUidsAreRefused() {
        Subnet s = subnet(open(), 2);
        assertRejected(Reason.DUPLICATE_UIDS, () -> s.validator().setWeights(s.netuid(), List.of(0, 1, 0), List.of(1, 2, 3), 0));
    }

    @Test
    void uidsMustExist() {
        Subnet s = subnet(open(), 2);
        assertRejected(Reason.INVALID_UID, () -> s.validator().setWeights(s.netuid(), vector(0, 7), 0));
    }

    @Test
    void fewerThanMinAllowedWeightsAreRefused() {
        Subnet s = subnet(open().with("minAllowedWeights", "3"), 3);
        assertRejected(Reason.TOO_FEW_WEIGHTS, () -> s.validator().setWeights(s.netuid(), vector(0, 1), 0));
        s.validator().setWeights(s.netuid(), vector(0, 1, 2), 0);
    }

    @Test
    void storedValuesAreMaxUpscaledWithSubtensorsRounding() {
        Subnet s = subnet(open(), 7);
        s.validator().setWeights(s.netuid(), List.of(0, 1, 2, 3, 4, 5, 6), List.of(0, 1, 2, 3, 4, 65533, 65535), 0);
        assertThat(s.validator().weights(s.netuid(), s.validatorUid()).values()).containsExactly(0, 1, 2, 3, 4, 65533, 65535);
        s.validator().setWeights(s.netuid(), List.of(0, 1, 2), List.of(0, 1, 65534), 0);
        assertThat(s.validator().weights(s.netuid(), s.validatorUid()).values()).containsExactly(0, 1, 65535);
        s.validator().setWeights(s.netuid(), List.of(3, 2, 1, 0), List.of(16383, 32767, 49149, 65535), 0);
        assertThat(s.validator().weights(s.netuid(), s.validatorUid()).values()).containsExactly(16383, 32767, 49149, 65535);
        s.validator().setWeights(s.netuid(), List.of(0, 1), List.of(3, 1), 0);
        assertThat(s.validator().weights(s.netuid(), s.validatorUid()).values()).containsExactly(65535, 21845);
    }

    // ---- commit-reveal ----------------------------------------------------------------------------

    private static Hyperparameters commitReveal() {
        return open().with("commitRevealEnabled", "true");
    }

    @Test
    void committedWeightsAreStoredWhenRevealedInTheRevealEpoch() {
        Subnet s = subnet(commitReveal(), 3);
        WeightVector weights = vector(0, 1, 2);
        List<Integer> salt = List.of(7, 8, 9);
        s.validator().commitWeights(s.netuid(), s.validator().commitHash(s.netuid(), weights, salt, 0));
        long committedAt = fixture.chain.blockNumber();
        assertThat(s.validator().metagraph(s.netuid()).neuron(s.validatorUid()).lastUpdate()).isEqualTo(committedAt);
        fixture.mineIntoNextEpoch(s.netuid(), s.hyperparameters());
        s.validator().revealWeights(s.netuid(), weights, salt, 0);
        assertThat(s.validator().weights(s.netuid(), s.validatorUid()).uids()).containsExactly(0, 1, 2);
        assertThat(s.validator().weights(s.netuid(), s.validatorUid()).values()).containsExactly(65404, 65470, 65535);
    }

    @Test
    void commitOnAPlainSubnetIsRefused() {
        Subnet s = subnet(open(), 2);
        assertRejected(Reason.COMMIT_REVEAL_DISABLED, () -> s.validator().commitWeights(s.netuid(), new byte[32]));
    }

    @Test
    void commitsAreRateLimited() {
        Subnet s = subnet(commitReveal().with("weightsRateLimit", "50"), 2);
        assertRejected(Reason.COMMITTING_TOO_FAST, () -> s.validator().commitWeights(s.netuid(), new byte[32]));
    }

    @Test
    void atMostTenCommitsWait() {
        Subnet s = subnet(commitReveal(), 2);
        for (int i = 0; i < 10; i++) {
            byte[] hash = new byte[32];
            hash[0] = (byte) i;
            s.validator().commitWeights(s.netuid(), hash);
        }
        assertRejected(Reason.TOO_MANY_COMMITS, () -> s.validator().commitWeights(s.netuid(), new byte[32]));
    }

    @Test
    void revealWithoutCommitIsRefused() {
        Subnet s = subnet(commitReveal(), 2);
        assertRejected(Reason.NO_COMMIT, () -> s.validator().revealWeights(s.netuid(), vector(0, 1), List.of(1), 0));
    }

    @Test
    void revealInTheCommitEpochIsTooEarly() {
        Subnet s = subnet(commitReveal().with("tempo", "50"), 2);
        WeightVector weights = vector(0, 1);
        fixture.mineIntoNextEpoch(s.netuid(), s.hyperparameters());
        s.validator().commitWeights(s.netuid(), s.validator().commitHash(s.netuid(), weights, List.of(3), 0));
        long commitEpoch = s.validator().currentEpoch(s.netuid());
        assertRejected(Reason.REVEAL_TOO_EARLY, () -> s.validator().revealWeights(s.netuid(), weights, List.of(3), 0));
        assertThat(s.validator().currentEpoch(s.netuid())).isEqualTo(commitEpoch);
    }

    /**
     * After the reveal epoch of the only commit: its own hash finds it expired; another hash finds no commit at all,
     * as subtensor answers once every pending commit has expired (not a hash mismatch).
     */
    @ParameterizedTest(name = "salt {0}: {1}")
    @CsvSource({"5, COMMIT_EXPIRED", "6, NO_COMMIT"})
    void revealAfterEveryCommitExpired(int revealedSalt, Reason reason) {
        Subnet s = subnet(commitReveal(), 2);
        WeightVector weights = vector(0, 1);
        s.validator().commitWeights(s.netuid(), s.validator().commitHash(s.netuid(), weights, List.of(5), 0));
        fixture.mineIntoNextEpoch(s.netuid(), s.hyperparameters());
        fixture.mineIntoNextEpoch(s.netuid(), s.hyperparameters());
        assertRejected(reason, () -> s.validator().revealWeights(s.netuid(), weights, List.of(revealedSalt), 0));
    }

    /** The same weights and salt committed in two epochs: the first copy's expiry does not hide the second. */
    @Test
    void aLiveCommitIsRevealedThoughAnExpiredOneHasTheSameHash() {
        Subnet s = subnet(commitReveal(), 2);
        WeightVector weights = vector(0, 1);
        byte[] hash = s.validator().commitHash(s.netuid(), weights, List.of(5), 0);
        s.validator().commitWeights(s.netuid(), hash);
        fixture.mineIntoNextEpoch(s.netuid(), s.hyperparameters());
        s.validator().commitWeights(s.netuid(), hash);
        fixture.mineIntoNextEpoch(s.netuid(), s.hyperparameters());
        s.validator().revealWeights(s.netuid(), weights, List.of(5), 0);
        assertThat(s.validator().weights(s.netuid(), s.validatorUid()).uids()).containsExactly(0, 1);
        assertThat(s.validator().pendingCommits(s.netuid(), s.validator().signer())).isEmpty();
    }

    @Test
    void revealOfOtherWeightsOrSaltMatchesNoCommit() {
        Subnet s = subnet(commitReveal(), 2);
        WeightVector weights = vector(0, 1);
        s.validator().commitWeights(s.netuid(), s.validator().commitHash(s.netuid(), weights, List.of(5), 0));
        fixture.mineIntoNextEpoch(s.netuid(), s.hyperparameters());
        assertRejected(Reason.HASH_MISMATCH, () -> s.validator().revealWeights(s.netuid(), weights, List.of(6), 0));
        assertRejected(Reason.HASH_MISMATCH, () -> s.validator().revealWeights(s.netuid(), vector(0), List.of(5), 0));
        s.validator().revealWeights(s.netuid(), weights, List.of(5), 0);
    }
}
