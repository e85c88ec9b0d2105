package dev.chorus.chain.web3j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chorus.chain.ChainReceipt;
import dev.chorus.chain.Hyperparameters;
import dev.chorus.chain.Metagraph;
import dev.chorus.chain.Neuron;
import dev.chorus.chain.TransactionRejected;
import dev.chorus.chain.WeightRow;
import dev.chorus.chain.WeightVector;
import dev.chorus.chain.yuma.SparseRow;
import dev.chorus.chain.yuma.YumaEpoch;
import dev.chorus.chain.yuma.YumaInput;
import dev.chorus.chain.yuma.YumaOutput;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.generated.Uint16;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.protocol.admin.Admin;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/**
 * runEpoch on a real subnet (registered, staked and weighted through the Java client): after each
 * of several epochs the stored terms, permits, bonds and the emission paid to every hotkey equal
 * what the Java {@link YumaEpoch} computes from the same state.
 */
class OnChainEpochIT {

    @RegisterExtension
    static final ChainFixture fixture = new ChainFixture(2);

    private static final int TEMPO = 5;

    @ParameterizedTest(name = "yuma3={0} liquidAlpha={1} ownerRegistered={2}")
    @CsvSource({"false,false,false", "true,false,true", "true,true,false"})
    void epochsOnChainStoreAndPayWhatTheJavaEpochComputes(boolean yuma3, boolean liquidAlpha, boolean ownerRegistered) {
        Random random = new Random(yuma3 ? (liquidAlpha ? 3 : 2) : 1);
        Web3jSubnetChain owner = fixture.owner();
        Hyperparameters hp = Hyperparameters.localDevelopment(TEMPO)
                .with("yuma3", Boolean.toString(yuma3))
                .with("liquidAlpha", Boolean.toString(liquidAlpha))
                .with("maxAllowedValidators", "3")
                .with("activityCutoff", "40")
                .with("emissionPerEpoch", "1000000000000");
        int netuid = owner.createSubnet(hp);
        if (ownerRegistered) {
            owner.register(netuid);
        }
        List<Web3jSubnetChain> validators = new ArrayList<>();
        for (int v = 0; v < 4; v++) {
            Web3jSubnetChain validator = fixture.newNeuron();
            validator.register(netuid);
            validator.addStake(netuid, validator.signer(), BigInteger.valueOf(1_000_000_000L * (1 + random.nextInt(50))));
            validators.add(validator);
        }
        for (int m = 0; m < 6; m++) {
            fixture.newNeuron().register(netuid);
        }
        owner.updateValidatorPermits(netuid);
        int n = owner.metagraph(netuid).size();

        int paidEpochs = 0;
        for (int epoch = 0; epoch < 4; epoch++) {
            for (Web3jSubnetChain validator : validators) {
                int uid = validator.uidOf(netuid, validator.signer()).orElseThrow();
                if (owner.metagraph(netuid).neuron(uid).validatorPermit() && random.nextInt(4) != 0) {
                    setRandomWeights(validator, netuid, n, random);
                }
            }
            fixture.chain.mine(TEMPO);
            Metagraph before = owner.metagraph(netuid);
            YumaInput input = owner.yumaInput(netuid, before.block() + 1);
            List<BigInteger> balancesBefore = before.neurons().stream().map(x -> owner.emissionBalance(x.hotkey())).toList();

            assertThat(input.ownerUid().isPresent()).isEqualTo(ownerRegistered);

            ChainReceipt receipt = fixture.newNeuron().runEpoch(netuid);

            assertThat(receipt.block()).isEqualTo(input.block());
            YumaOutput expected = YumaEpoch.run(input);
            Metagraph after = owner.metagraph(netuid);
            for (int uid = 0; uid < n; uid++) {
                Neuron neuron = after.neuron(uid);
                String at = "epoch " + epoch + " uid " + uid;
                assertThat(neuron.consensus()).as(at).isEqualTo(expected.consensus()[uid]);
                assertThat(neuron.incentive()).as(at).isEqualTo(expected.incentive()[uid]);
                assertThat(neuron.dividends()).as(at).isEqualTo(expected.dividends()[uid]);
                assertThat(neuron.validatorTrust()).as(at).isEqualTo(expected.validatorTrust()[uid]);
                assertThat(neuron.emission()).as(at).isEqualTo(BigInteger.valueOf(expected.emission()[uid]));
                assertThat(neuron.active()).as(at).isEqualTo(expected.active()[uid]);
                assertThat(neuron.validatorPermit()).as(at).isEqualTo(expected.validatorPermit()[uid]);
                assertThat(row(owner.bonds(netuid, uid))).as(at).isEqualTo(expected.bonds().get(uid));
                BigInteger paid = BigInteger.valueOf(expected.serverEmission()[uid]).add(BigInteger.valueOf(expected.validatorEmission()[uid]));
                assertThat(owner.emissionBalance(neuron.hotkey()).subtract(balancesBefore.get(uid))).as(at).isEqualTo(paid);
            }
            assertThat(owner.subnetInfo(netuid).lastEpochBlock()).isEqualTo(receipt.block());
            if (java.util.Arrays.stream(expected.dividends()).anyMatch(d -> d > 0)) {
                paidEpochs++;
            }
        }
        assertThat(paidEpochs).as("epochs that paid validators dividends").isGreaterThanOrEqualTo(2);
    }

    /**
     * Subtensor's commit-reveal mask on a real subnet. Within one epoch the validator commits, uid 0
     * is replaced by a new hotkey, the validator reveals weights it committed an epoch earlier (so
     * they were chosen for the old hotkey) and commits again. Its last update is newer than the
     * registration, so only the mask (its older commit, still pending, predates the registration)
     * keeps the new hotkey from collecting the stale weight. Chain and Java agree, and the mask bites.
     */
    @Test
    void weightsChosenBeforeAUidWasReplacedDoNotCountForItsNewHotkey() {
        Web3jSubnetChain owner = fixture.owner();
        Hyperparameters hp = Hyperparameters.localDevelopment(10).with("commitRevealEnabled", "true")
                .with("maxAllowedValidators", "3").with("maxAllowedUids", "3").with("immunityPeriod", "0");
        int netuid = owner.createSubnet(hp);
        fixture.newNeuron().register(netuid);
        Web3jSubnetChain validator = fixture.newNeuron();
        int validatorUid = validator.register(netuid);
        validator.addStake(netuid, validator.signer(), BigInteger.valueOf(1_000_000_000L));
        fixture.newNeuron().register(netuid);
        owner.updateValidatorPermits(netuid);
        WeightVector weights = new WeightVector(List.of(0, 2), List.of(65_535, 32_768));

        fixture.mineIntoNextEpoch(netuid, hp);
        validator.commitWeights(netuid, validator.commitHash(netuid, weights, List.of(1), 0));
        fixture.mineIntoNextEpoch(netuid, hp);
        ChainReceipt pending = validator.commitWeights(netuid, validator.commitHash(netuid, weights, List.of(2), 0));
        assertThat(fixture.newNeuron().register(netuid)).as("the oldest miner's uid is replaced").isZero();
        long replacedAt = owner.metagraph(netuid).neuron(0).registeredAt();
        validator.revealWeights(netuid, weights, List.of(1), 0);
        validator.commitWeights(netuid, validator.commitHash(netuid, weights, List.of(3), 0));

        Metagraph before = owner.metagraph(netuid);
        assertThat(before.neuron(validatorUid).lastUpdate()).isGreaterThan(replacedAt);
        YumaInput input = owner.yumaInput(netuid, before.block() + 1);
        assertThat(input.commitBlock()[validatorUid]).isEqualTo(pending.block()).isLessThan(replacedAt);
        ChainReceipt receipt = fixture.newNeuron().runEpoch(netuid);
        assertThat(receipt.block()).isEqualTo(input.block());

        YumaOutput expected = YumaEpoch.run(input);
        Metagraph after = owner.metagraph(netuid);
        for (int uid = 0; uid < 3; uid++) {
            assertThat(after.neuron(uid).incentive()).as("uid " + uid).isEqualTo(expected.incentive()[uid]);
            assertThat(after.neuron(uid).consensus()).as("uid " + uid).isEqualTo(expected.consensus()[uid]);
            assertThat(after.neuron(uid).emission()).as("uid " + uid).isEqualTo(BigInteger.valueOf(expected.emission()[uid]));
        }
        assertThat(after.neuron(0).incentive()).isZero();
        assertThat(after.neuron(2).incentive()).isEqualTo(65_535);
        YumaOutput unmasked = YumaEpoch.run(withoutCommits(input));
        assertThat(unmasked.incentive()[0]).as("without the mask the new hotkey would be paid").isPositive();
    }

    /**
     * Subtensor's clear_neuron zeroes a replaced uid's StakeWeight with its other epoch terms, so the new hotkey does
     * not show the stake share its predecessor had at the last epoch.
     */
    @Test
    void aReplacedUidStartsWithNoStakeWeight() throws Exception {
        Web3jSubnetChain owner = fixture.owner();
        Hyperparameters hp = Hyperparameters.localDevelopment(TEMPO).with("maxAllowedValidators", "2")
                .with("maxAllowedUids", "2").with("immunityPeriod", "0");
        int netuid = owner.createSubnet(hp);
        for (int uid = 0; uid < 2; uid++) {
            Web3jSubnetChain staked = fixture.newNeuron();
            staked.register(netuid);
            staked.addStake(netuid, staked.signer(), BigInteger.valueOf(1_000_000_000L));
        }
        fixture.chain.mine(TEMPO);
        owner.runEpoch(netuid);
        assertThat(stakeWeight(netuid, 0)).as("half the stake at the epoch").isEqualTo(32_767);

        assertThat(fixture.newNeuron().register(netuid)).as("of equal emissions the earliest registered goes").isZero();

        assertThat(stakeWeight(netuid, 0)).isZero();
    }

    @Test
    void anEpochRunsOnlyOnceTempoBlocksHavePassed() {
        Web3jSubnetChain owner = fixture.owner();
        int netuid = owner.createSubnet(Hyperparameters.localDevelopment(TEMPO));
        owner.register(netuid);
        fixture.chain.mine(TEMPO);
        ChainReceipt first = owner.runEpoch(netuid);

        assertThatThrownBy(() -> owner.runEpoch(netuid))
                .isInstanceOfSatisfying(TransactionRejected.class, rejected -> {
                    assertThat(rejected.errorName()).isEqualTo("EpochNotDue");
                    assertThat(rejected.arguments()).containsExactly(BigInteger.valueOf(first.block() + TEMPO));
                });
        fixture.chain.mine(TEMPO - 1);
        ChainReceipt second = owner.runEpoch(netuid);
        assertThat(second.block()).isEqualTo(first.block() + TEMPO);
    }

    @Test
    void emissionTokensCanBeTransferredAndSpentThroughAnAllowanceButMintedByTheSubnetAlone() throws Exception {
        Web3jSubnetChain owner = fixture.owner();
        int netuid = owner.createSubnet(Hyperparameters.localDevelopment(TEMPO));
        Credentials hotkey = Credentials.create(Keys.createEcKeyPair());
        fixture.chain.setBalance(hotkey.getAddress(), BigInteger.TEN.pow(21));
        Web3jSubnetChain validator = fixture.client(hotkey);
        validator.register(netuid);
        fixture.newNeuron().register(netuid);
        validator.addStake(netuid, validator.signer(), BigInteger.valueOf(1_000_000_000L));
        owner.updateValidatorPermits(netuid);
        validator.setWeights(netuid, List.of(1), List.of(65_535), 0);
        fixture.chain.mine(TEMPO);
        owner.runEpoch(netuid);
        BigInteger earned = validator.emissionBalance(validator.signer());
        assertThat(earned).isPositive();

        String token = validator.emissionToken();
        RevertDecoder tokenErrors = new RevertDecoder(ContractArtifact.load("EmissionToken").abi());
        Admin web3j = Admin.build(new HttpService(fixture.chain.rpcUrl()));
        try {
            TransactionSender holder = new TransactionSender(web3j, hotkey, fixture.chain.chainId(), fixture.options(), tokenErrors);
            String friend = fixture.chain.devAccount(1).address();
            holder.send("transfer", token, Calldata.encode("transfer(address,uint256)", new Address(friend),
                    new Uint256(BigInteger.TEN)), BigInteger.ZERO);
            assertThat(validator.emissionBalance(friend)).isEqualTo(BigInteger.TEN);
            assertThat(validator.emissionBalance(validator.signer())).isEqualTo(earned.subtract(BigInteger.TEN));

            assertThatThrownBy(() -> holder.send("overdraw", token, Calldata.encode("transfer(address,uint256)",
                    new Address(friend), new Uint256(earned)), BigInteger.ZERO))
                    .isInstanceOfSatisfying(TransactionRejected.class,
                            rejected -> assertThat(rejected.errorName()).isEqualTo("InsufficientBalance"));

            holder.send("approve", token, Calldata.encode("approve(address,uint256)", new Address(friend),
                    new Uint256(BigInteger.valueOf(7))), BigInteger.ZERO);
            TransactionSender spender = new TransactionSender(web3j, fixture.chain.devAccount(1).credentials(),
                    fixture.chain.chainId(), fixture.options(), tokenErrors);
            String burnAddress = "0x000000000000000000000000000000000000dead";
            spender.send("transferFrom", token, Calldata.encode("transferFrom(address,address,uint256)",
                    new Address(validator.signer()), new Address(burnAddress), new Uint256(BigInteger.valueOf(7))), BigInteger.ZERO);
            assertThat(validator.emissionBalance(burnAddress)).isEqualTo(BigInteger.valueOf(7));
            assertThatThrownBy(() -> spender.send("transferFrom again", token,
                    Calldata.encode("transferFrom(address,address,uint256)", new Address(validator.signer()),
                            new Address(burnAddress), new Uint256(BigInteger.ONE)), BigInteger.ZERO))
                    .isInstanceOfSatisfying(TransactionRejected.class,
                            rejected -> assertThat(rejected.errorName()).isEqualTo("InsufficientAllowance"));

            assertThatThrownBy(() -> holder.send("mint", token, Calldata.encode("mint(address,uint256)",
                    new Address(validator.signer()), new Uint256(earned)), BigInteger.ZERO))
                    .as("only the Subnet contract mints")
                    .isInstanceOfSatisfying(TransactionRejected.class, rejected -> assertThat(rejected.errorName()).isEqualTo("NotMinter"));
        } finally {
            web3j.shutdown();
        }
    }

    private static void setRandomWeights(Web3jSubnetChain validator, int netuid, int n, Random random) {
        List<Integer> uids = new ArrayList<>();
        List<Integer> values = new ArrayList<>();
        for (int uid = 0; uid < n; uid++) {
            if (random.nextInt(3) != 0) {
                uids.add(uid);
                values.add(1 + random.nextInt(65_535));
            }
        }
        if (uids.isEmpty()) {
            uids.add(n - 1);
            values.add(1);
        }
        validator.setWeights(netuid, uids, values, 0);
    }

    private static YumaInput withoutCommits(YumaInput in) {
        return new YumaInput(in.n(), in.block(), in.tempo(), in.activityCutoff(), in.lastMechanismStepBlock(),
                in.raoEmission(), in.kappa(), in.bondsPenalty(), in.bondsMovingAverage(), in.maxAllowedValidators(),
                in.minStake(), in.ownerUid(), in.yuma3(), in.liquidAlpha(), in.alphaLow(), in.alphaHigh(),
                in.alphaSigmoidSteepness(), in.stake(), in.validatorPermit(), in.lastUpdate(), in.blockAtRegistration(),
                in.weights(), in.bonds());
    }

    private static int stakeWeight(int netuid, int uid) throws Exception {
        Admin web3j = Admin.build(new HttpService(fixture.chain.rpcUrl()));
        try {
            String data = Calldata.encode("getStakeWeight(uint16,uint16)", new Uint16(netuid), new Uint16(uid));
            String result = web3j.ethCall(Transaction.createEthCallTransaction(null, fixture.contract, data),
                    DefaultBlockParameterName.LATEST).send().getValue();
            return Numeric.toBigInt(result).intValueExact();
        } finally {
            web3j.shutdown();
        }
    }

    private static SparseRow row(WeightRow row) {
        return new SparseRow(row.uids().stream().mapToInt(Integer::intValue).toArray(),
                row.values().stream().mapToInt(Integer::intValue).toArray());
    }
}
