package dev.chorus.chain.web3j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.chain.ChainReceipt;
import dev.chorus.chain.Hyperparameters;
import dev.chorus.chain.Metagraph;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.RawTransactionManager;
import org.web3j.utils.Numeric;

/** Stake that is only borrowed for a moment can neither take a permit from a validator nor leave with it. */
class StakeRulesIT {

    @RegisterExtension
    static final ChainFixture fixture = new ChainFixture(2);

    private static final BigInteger WEI_PER_RAO = BigInteger.TEN.pow(9);
    private static final BigInteger GAS = BigInteger.valueOf(500_000);

    /**
     * A flash loan has to be repaid in the block it was taken: stake added and removed in one block must fail. Both
     * transactions are signed up front with a fixed gas limit, since the removal cannot be estimated before the stake
     * it removes is mined.
     */
    @Test
    void stakeCannotBeRemovedInTheBlockItWasAdded() throws Exception {
        int netuid = fixture.createSubnet(Hyperparameters.localDevelopment(10));
        Credentials key = fixture.newKey();
        Web3jSubnetChain neuron = fixture.client(key);
        neuron.register(netuid);
        BigInteger rao = BigInteger.valueOf(2_000_000_000L);
        Bytes32 hotkey = new Bytes32(Numeric.toBytesPadded(Numeric.toBigInt(key.getAddress()), 32));
        String add = Calldata.encode("addStake(bytes32,uint256,uint256)", hotkey, new Uint256(rao), new Uint256(netuid));
        String remove = Calldata.encode("removeStake(bytes32,uint256,uint256)", hotkey, new Uint256(rao), new Uint256(netuid));

        Web3j node = Web3j.build(new HttpService(fixture.chain.rpcUrl()));
        String removal;
        try {
            RawTransactionManager signer = new RawTransactionManager(node, key, fixture.chain.chainId());
            BigInteger fee = BigInteger.valueOf(100_000_000_000L);
            fixture.chain.setAutomine(false);
            try {
                sent(signer.sendEIP1559Transaction(fixture.chain.chainId(), fee, fee, GAS, fixture.contract, add,
                        rao.multiply(WEI_PER_RAO)));
                removal = sent(signer.sendEIP1559Transaction(fixture.chain.chainId(), fee, fee, GAS, fixture.contract,
                        remove, BigInteger.ZERO));
                fixture.chain.mine(1);
            } finally {
                fixture.chain.setAutomine(true);
            }
            TransactionReceipt receipt = node.ethGetTransactionReceipt(removal).send().getTransactionReceipt().orElseThrow();
            assertThat(receipt.isStatusOK()).as("the removal in the same block").isFalse();
            assertThat(receipt.getGasUsed()).as("a refusal, not out of gas").isLessThan(GAS);
            // Replayed on the state after that block, in which the stake was added: the refusal names its rule.
            EthCall replay = node.ethCall(Transaction.createEthCallTransaction(key.getAddress(), fixture.contract, remove),
                    DefaultBlockParameter.valueOf(receipt.getBlockNumber())).send();
            assertThat(replay.isReverted()).isTrue();
            assertThat(replay.getError().getData().replace("\"", "")).startsWith(Calldata.selector("StakingOperationRateLimitExceeded()"));
        } finally {
            node.shutdown();
        }
        assertThat(neuron.metagraph(netuid).byHotkey(neuron.signer()).orElseThrow().stake()).isEqualTo(rao);

        neuron.removeStake(netuid, neuron.signer(), rao);
        assertThat(neuron.metagraph(netuid).byHotkey(neuron.signer()).orElseThrow().stake()).as("a block later")
                .isEqualTo(BigInteger.ZERO);
    }

    /**
     * Between epochs permits are only granted; taking one away, as subtensor does, is the epoch's alone, and the epoch
     * announces the permits it leaves as updateValidatorPermits does, so a watcher of the event misses no revocation.
     */
    @Test
    void newStakeGetsAPermitAtOnceButPushesNoValidatorOutBeforeTheEpoch() throws Exception {
        Hyperparameters hp = Hyperparameters.localDevelopment(10).with("maxAllowedValidators", "1");
        Web3jSubnetChain owner = fixture.owner();
        int netuid = owner.createSubnet(hp);
        Web3jSubnetChain validator = fixture.newNeuron();
        Web3jSubnetChain newcomer = fixture.newNeuron();
        validator.register(netuid);
        newcomer.register(netuid);
        validator.addStake(netuid, validator.signer(), BigInteger.valueOf(2_000_000_000L));
        owner.updateValidatorPermits(netuid);

        newcomer.addStake(netuid, newcomer.signer(), BigInteger.valueOf(3_000_000_000L));
        owner.updateValidatorPermits(netuid);
        assertThat(permits(owner.metagraph(netuid), validator, newcomer)).containsExactly(true, true);

        fixture.mineIntoNextEpoch(netuid, hp);
        ChainReceipt epoch = owner.runEpoch(netuid);
        assertThat(permits(owner.metagraph(netuid), validator, newcomer)).as("after the epoch, the top 1 stake")
                .containsExactly(false, true);
        assertThat(permitsAnnounced(epoch)).as("ValidatorPermitsUpdated of the epoch").containsExactly(1);
    }

    /** The permitted counts of the ValidatorPermitsUpdated events a transaction emitted. */
    private static List<Integer> permitsAnnounced(ChainReceipt receipt) throws java.io.IOException {
        String topic = Hash.sha3String("ValidatorPermitsUpdated(uint16,uint16)");
        Web3j node = Web3j.build(new HttpService(fixture.chain.rpcUrl()));
        try {
            return node.ethGetTransactionReceipt(receipt.txHash()).send().getTransactionReceipt().orElseThrow().getLogs().stream()
                    .filter(log -> log.getTopics().getFirst().equals(topic))
                    .map(log -> Numeric.toBigInt(log.getData()).intValueExact())
                    .toList();
        } finally {
            node.shutdown();
        }
    }

    private static List<Boolean> permits(Metagraph metagraph, Web3jSubnetChain... neurons) {
        return java.util.Arrays.stream(neurons)
                .map(n -> metagraph.byHotkey(n.signer()).orElseThrow().validatorPermit()).toList();
    }

    private static String sent(EthSendTransaction reply) {
        assertThat(reply.hasError()).as("send: %s", reply.getError() == null ? "" : reply.getError().getMessage()).isFalse();
        return reply.getTransactionHash();
    }
}
