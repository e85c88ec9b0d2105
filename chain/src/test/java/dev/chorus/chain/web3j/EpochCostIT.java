package dev.chorus.chain.web3j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.chain.ChainReceipt;
import dev.chorus.chain.Hyperparameters;
import dev.chorus.chain.Metagraph;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The numbers of benchmarks/README.md, section "On-chain epoch": gas of runEpoch on a full subnet of
 * n uids where the top 64 by stake (all of them below 64) validate with dense weights on every uid.
 * Results go to stdout and target/epoch-costs.txt.
 */
class EpochCostIT {

    @RegisterExtension
    static final ChainFixture fixture = new ChainFixture(2);

    private static final int TEMPO = 10;

    @Test
    void runEpochGasFor16And64Uids() throws IOException {
        record(measure(16));
        record(measure(64));
    }

    @Test
    @Tag("long")
    void runEpochGasFor256Uids() throws IOException {
        record(measure(256));
    }

    /** Gas of the first Yuma3 epoch (no bonds yet), the second (bonds stored), then a classic and a liquid-alpha one. */
    private List<String> measure(int n) {
        // estimating a 256-uid epoch runs it a dozen times, which takes longer than a normal RPC deadline
        ClientOptions local = fixture.options();
        ClientOptions patient = new ClientOptions(local.expectedChainId(), Duration.ofMinutes(9), Duration.ofMinutes(9),
                local.receiptPoll(), 1, local.retryBackoff(), local.maxPriorityFee(), 5, local.maxFeePerGas());
        try (Web3jSubnetChain owner = Web3jSubnetChain.local(fixture.chain.rpcUrl(), fixture.contract,
                fixture.chain.devAccount(0).credentials(), patient)) {
            return measure(owner, n);
        }
    }

    private List<String> measure(Web3jSubnetChain owner, int n) {
        int netuid = owner.createSubnet(Hyperparameters.localDevelopment(TEMPO));
        List<Web3jSubnetChain> neurons = new ArrayList<>();
        for (int uid = 0; uid < n; uid++) {
            Web3jSubnetChain neuron = fixture.newNeuron();
            neuron.register(netuid);
            neurons.add(neuron);
        }
        int validators = Math.min(n, 64);
        for (int v = 0; v < validators; v++) {
            Web3jSubnetChain validator = neurons.get(v);
            validator.addStake(netuid, validator.signer(), BigInteger.valueOf(1_000_000_000L * (v + 1)));
        }
        owner.updateValidatorPermits(netuid);
        List<Integer> uids = new ArrayList<>();
        for (int uid = 0; uid < n; uid++) {
            uids.add(uid);
        }
        for (int v = 0; v < validators; v++) {
            List<Integer> values = new ArrayList<>();
            for (int uid = 0; uid < n; uid++) {
                values.add(1 + (uid * 7919 + v * 104_729) % 65_535);
            }
            neurons.get(v).setWeights(netuid, uids, values, 0);
        }

        fixture.chain.mine(TEMPO);
        ChainReceipt first = owner.runEpoch(netuid);
        fixture.chain.mine(TEMPO);
        ChainReceipt second = owner.runEpoch(netuid);
        owner.setHyperparameters(netuid, owner.hyperparameters(netuid).with("yuma3", "false"));
        fixture.chain.mine(TEMPO);
        ChainReceipt classic = owner.runEpoch(netuid);
        owner.setHyperparameters(netuid, owner.hyperparameters(netuid).with("yuma3", "true").with("liquidAlpha", "true"));
        fixture.chain.mine(TEMPO);
        ChainReceipt liquid = owner.runEpoch(netuid);

        Metagraph metagraph = owner.metagraph(netuid);
        assertThat(metagraph.size()).isEqualTo(n);
        assertThat(metagraph.neurons().stream().filter(x -> x.incentive() > 0).count()).as("miners with incentive").isPositive();
        assertThat(metagraph.neurons().stream().filter(x -> x.dividends() > 0).count()).as("validators with dividends").isPositive();
        assertThat(owner.bonds(netuid, 0).uids()).as("bonds stored for a validator").isNotEmpty();
        return List.of(String.format(Locale.ROOT,
                "runEpoch n=%3d, %2d validators x %3d weights: %,13d gas (Yuma3, no bonds yet), %,13d gas (Yuma3, bonds stored), "
                        + "%,13d gas (classic), %,13d gas (Yuma3, liquid alpha)", n, validators, n, first.gasUsed(),
                second.gasUsed(), classic.gasUsed(), liquid.gasUsed()));
    }

    private static void record(List<String> lines) throws IOException {
        lines.forEach(System.out::println);
        Files.write(Path.of("target", "epoch-costs.txt"), lines, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
