package dev.chorus.chain.web3j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chorus.chain.Hyperparameters;
import dev.chorus.chain.Metagraph;
import dev.chorus.chain.Neuron;
import dev.chorus.chain.TransactionRejected;
import dev.chorus.chain.testing.RpcProxy;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.utils.Numeric;

/** Registration, pruning, serving and stake on a real Anvil. */
class RegistrationIT {

    @RegisterExtension
    static final ChainFixture fixture = new ChainFixture(2);

    private static void assertRejected(String errorName, org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(TransactionRejected.class, e -> assertThat(e.errorName()).isEqualTo(errorName));
    }

    @Test
    void fullSubnetReplacesTheEarliestRegisteredNonImmuneNeuron() {
        Hyperparameters small = Hyperparameters.localDevelopment(10).with("maxAllowedValidators", "3").with("maxAllowedUids", "3")
                .with("immunityPeriod", "5");
        int netuid = fixture.owner().createSubnet(small);
        Web3jSubnetChain first = fixture.newNeuron();
        Web3jSubnetChain second = fixture.newNeuron();
        first.register(netuid);
        second.register(netuid);
        fixture.chain.mine(5);
        Web3jSubnetChain validator = fixture.newNeuron();
        assertThat(validator.register(netuid)).isEqualTo(2);
        validator.addStake(netuid, validator.signer(), BigInteger.valueOf(1_000_000_000L));
        fixture.owner().updateValidatorPermits(netuid);
        validator.setWeights(netuid, List.of(0, 1, 2), List.of(100, 200, 300), 0);
        first.setWeights(netuid, List.of(0), List.of(1), 0);

        Web3jSubnetChain newcomer = fixture.newNeuron();
        assertThat(newcomer.register(netuid)).isEqualTo(0);

        Metagraph metagraph = fixture.owner().metagraph(netuid);
        assertThat(metagraph.size()).isEqualTo(3);
        Neuron replaced = metagraph.neuron(0);
        assertThat(replaced.hotkey()).isEqualTo(newcomer.signer());
        assertThat(replaced.registeredAt()).isEqualTo(metagraph.block());
        assertThat(replaced.lastUpdate()).isEqualTo(metagraph.block());
        assertThat(replaced.validatorPermit()).isFalse();
        assertThat(fixture.owner().uidOf(netuid, first.signer())).isEmpty();
        assertThat(fixture.owner().weights(netuid, 0).uids()).isEmpty();
        assertThat(fixture.owner().weights(netuid, 2).uids()).containsExactly(0, 1, 2);
        assertThat(fixture.owner().weights(netuid, 2).values()).containsExactly(0, 43690, 65535);

        // uid 0 is immune again; of the others uid 1 registered first.
        Web3jSubnetChain later = fixture.newNeuron();
        assertThat(later.register(netuid)).isEqualTo(1);
    }

    @Test
    void whenEveryoneIsImmuneTheEarliestStillGoesButNeverTheOwner() {
        Hyperparameters small = Hyperparameters.localDevelopment(10).with("maxAllowedValidators", "2").with("maxAllowedUids", "2");
        int netuid = fixture.owner().createSubnet(small);
        assertThat(fixture.owner().register(netuid)).isEqualTo(0);
        Web3jSubnetChain miner = fixture.newNeuron();
        assertThat(miner.register(netuid)).isEqualTo(1);
        Web3jSubnetChain newcomer = fixture.newNeuron();
        assertThat(newcomer.register(netuid)).isEqualTo(1);
        assertThat(fixture.owner().metagraph(netuid).neuron(0).hotkey()).isEqualTo(fixture.owner().signer());
    }

    @Test
    void registrationChecksFollowSubtensor() {
        int netuid = fixture.owner().createSubnet(Hyperparameters.localDevelopment(10));
        Web3jSubnetChain neuron = fixture.newNeuron();
        neuron.register(netuid);
        assertRejected("HotKeyAlreadyRegisteredInSubNet", () -> neuron.register(netuid));
        int closed = fixture.owner().createSubnet(Hyperparameters.localDevelopment(10).with("registrationAllowed", "false"));
        assertRejected("SubNetRegistrationDisabled", () -> fixture.newNeuron().register(closed));
        assertRejected("SubnetNotExists", () -> neuron.register(999));
        assertRejected("RegistrationNotPermittedOnRootSubnet", () -> neuron.register(0));
    }

    @Test
    void anUnfundedKeyIsToldWhichAddressNeedsFunds() throws Exception {
        int netuid = fixture.owner().createSubnet(Hyperparameters.localDevelopment(10));
        Web3jSubnetChain unfunded = fixture.client(Credentials.create(Keys.createEcKeyPair()));
        assertThatThrownBy(() -> unfunded.register(netuid)).isInstanceOfSatisfying(TransactionRejected.class, e -> {
            assertThat(e.errorName()).isEqualTo("NodeRefused");
            assertThat(e.getMessage()).contains("the signer " + unfunded.signer() + " cannot pay for the gas and value",
                    "`chorus chain up` prints funded dev keys").doesNotContain("NodeRefused[");
        });
    }

    @Test
    void axonsFollowSubtensorsServingRules() {
        int strict = fixture.owner().createSubnet(Hyperparameters.defaults().with("servingRateLimit", "10"));
        Web3jSubnetChain neuron = fixture.newNeuron();
        assertRejected("HotKeyNotRegisteredInNetwork", () -> neuron.serveAxon(strict, "10.0.0.1", 8091));
        neuron.register(strict);
        assertRejected("InvalidIpAddress", () -> neuron.serveAxon(strict, "127.0.0.1", 8091));
        assertRejected("InvalidIpAddress", () -> neuron.serveAxon(strict, "::1", 8091));
        neuron.serveAxon(strict, "10.0.0.1", 8091);
        assertRejected("ServingRateLimitExceeded", () -> neuron.serveAxon(strict, "10.0.0.2", 8091));
        fixture.chain.mine(10);
        neuron.serveAxon(strict, "2001:db8::5", 8092);
        Neuron served = fixture.owner().metagraph(strict).neuron(0);
        assertThat(served.axon().ipType()).isEqualTo(6);
        assertThat(served.axon().baseUrl()).isEqualTo("http://[2001:db8:0:0:0:0:0:5]:8092");

        int local = fixture.owner().createSubnet(Hyperparameters.localDevelopment(10));
        neuron.register(local);
        // what a server listens on, not an address anyone reaches, and refused even where loopback is allowed
        assertRejected("InvalidIpAddress", () -> neuron.serveAxon(local, "0.0.0.0", 8093));
        assertRejected("InvalidIpAddress", () -> neuron.serveAxon(local, "::", 8093));
        neuron.serveAxon(local, "127.0.0.1", 8093);
        assertThat(fixture.owner().metagraph(local).neuron(0).axon().baseUrl()).isEqualTo("http://127.0.0.1:8093");
    }

    @Test
    void stakeFeedsTopKValidatorPermits() {
        Hyperparameters hp = Hyperparameters.localDevelopment(10).with("maxAllowedValidators", "2");
        int netuid = fixture.owner().createSubnet(hp);
        Web3jSubnetChain a = fixture.newNeuron();
        Web3jSubnetChain b = fixture.newNeuron();
        Web3jSubnetChain c = fixture.newNeuron();
        for (Web3jSubnetChain n : List.of(a, b, c)) {
            n.register(netuid);
        }
        a.addStake(netuid, a.signer(), BigInteger.valueOf(3_000_000_000L));
        b.addStake(netuid, b.signer(), BigInteger.valueOf(1_000_000_000L));
        c.addStake(netuid, c.signer(), BigInteger.valueOf(1_000_000_000L));
        fixture.owner().updateValidatorPermits(netuid);
        Metagraph m = fixture.owner().metagraph(netuid);
        // equal stakes: the stable ascending sort drops the lower uid first
        assertThat(m.neurons()).extracting(Neuron::validatorPermit).containsExactly(true, false, true);

        c.removeStake(netuid, c.signer(), BigInteger.valueOf(600_000_000L));
        fixture.owner().updateValidatorPermits(netuid);
        m = fixture.owner().metagraph(netuid);
        assertThat(m.neuron(2).stake()).isEqualTo(BigInteger.valueOf(400_000_000L));
        assertThat(m.neurons()).extracting(Neuron::validatorPermit).as("between epochs permits are only granted")
                .containsExactly(true, true, true);
        fixture.mineIntoNextEpoch(netuid, hp);
        fixture.owner().runEpoch(netuid);
        assertThat(fixture.owner().metagraph(netuid).neurons()).extracting(Neuron::validatorPermit)
                .as("the epoch takes the permit of the lowest stake").containsExactly(true, true, false);
        assertRejected("NotEnoughStakeToWithdraw", () -> b.removeStake(netuid, c.signer(), BigInteger.ONE));
    }

    @Test
    void batchedMetagraphEqualsThePerFieldViews() {
        int netuid = fixture.owner().createSubnet(Hyperparameters.localDevelopment(10));
        for (int i = 0; i < 4; i++) {
            Web3jSubnetChain n = fixture.newNeuron();
            n.register(netuid);
            n.serveAxon(netuid, "127.0.0." + (i + 1), 9000 + i);
            n.addStake(netuid, n.signer(), BigInteger.valueOf((i + 1) * 1_000_000_000L));
        }
        fixture.owner().updateValidatorPermits(netuid);
        Metagraph batched = fixture.owner().metagraph(netuid);
        Metagraph perField = fixture.owner().metagraphByFields(netuid);
        assertThat(batched.size()).isEqualTo(4);
        assertThat(batched).isEqualTo(perField);
    }

    /** Its 14 calls per uid span blocks on a real chain: every one must read the block the metagraph reports. */
    @Test
    void thePerFieldMetagraphReadsEveryFieldAtTheBlockItReports() throws Exception {
        int netuid = fixture.owner().createSubnet(Hyperparameters.localDevelopment(10));
        for (int i = 0; i < 2; i++) {
            fixture.newNeuron().register(netuid);
        }
        try (RpcProxy proxy = new RpcProxy(fixture.chain.rpcUrl());
             Web3jSubnetChain reader = Web3jSubnetChain.local(proxy.url(), fixture.contract, fixture.newKey(), fixture.options())) {
            proxy.clear();
            Metagraph perField = reader.metagraphByFields(netuid);
            List<JsonNode> calls = proxy.requests("eth_call");
            assertThat(calls).as("the uid count, then each field of two uids").hasSizeGreaterThan(2 * 12);
            assertThat(calls).extracting(call -> call.path("params").get(1).asText()).as("the block of every call")
                    .containsOnly(Numeric.encodeQuantity(BigInteger.valueOf(perField.block())));
        }
    }

    @Test
    void ownerChangesHyperparametersOthersCannot() {
        int netuid = fixture.owner().createSubnet(Hyperparameters.localDevelopment(10));
        Hyperparameters changed = fixture.owner().hyperparameters(netuid).with("kappa", "40000").with("yuma3", "false");
        fixture.owner().setHyperparameters(netuid, changed);
        assertThat(fixture.owner().hyperparameters(netuid)).isEqualTo(changed);
        assertRejected("NotSubnetOwner", () -> fixture.newNeuron().setHyperparameters(netuid, Hyperparameters.defaults()));
    }

    @Test
    void aPrunedHotkeyLeavesNoPendingCommitsBehind() {
        Hyperparameters small = Hyperparameters.localDevelopment(10).with("commitRevealEnabled", "true")
                .with("maxAllowedValidators", "2").with("maxAllowedUids", "2");
        int netuid = fixture.owner().createSubnet(small);
        Web3jSubnetChain first = fixture.newNeuron();
        first.register(netuid);
        first.commitWeights(netuid, new byte[32]);
        assertThat(fixture.owner().pendingCommits(netuid, first.signer())).hasSize(1)
                .first().satisfies(c -> assertThat(c.epoch()).isEqualTo(fixture.owner().currentEpoch(netuid)));
        fixture.newNeuron().register(netuid);
        assertThat(fixture.newNeuron().register(netuid)).isEqualTo(0);
        assertThat(fixture.owner().uidOf(netuid, first.signer())).isEmpty();
        assertThat(fixture.owner().pendingCommits(netuid, first.signer())).isEmpty();
    }
}
