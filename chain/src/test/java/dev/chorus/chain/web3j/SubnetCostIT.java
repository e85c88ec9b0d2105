package dev.chorus.chain.web3j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.chain.ChainReceipt;
import dev.chorus.chain.Hyperparameters;
import dev.chorus.chain.Metagraph;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The numbers of benchmarks/README.md, section "Chain": gas of setWeights for 16, 64 and 256 uids and
 * the time of one batched metagraph read of 256 uids (against the per-field views as baseline).
 * Results go to stdout and target/chain-costs.txt.
 */
class SubnetCostIT {

    @RegisterExtension
    static final ChainFixture fixture = new ChainFixture(2);

    @Test
    void setWeightsGasAndBatchedMetagraphReadOf256Uids() throws IOException {
        Web3jSubnetChain owner = fixture.owner();
        int netuid = owner.createSubnet(Hyperparameters.localDevelopment(360));
        List<Web3jSubnetChain> neurons = new ArrayList<>();
        for (int i = 0; i < 256; i++) {
            Web3jSubnetChain neuron = fixture.newNeuron();
            neuron.register(netuid);
            neurons.add(neuron);
        }
        Web3jSubnetChain validator = neurons.getFirst();
        validator.addStake(netuid, validator.signer(), BigInteger.valueOf(1_000_000_000L));
        owner.updateValidatorPermits(netuid);

        List<String> lines = new ArrayList<>();
        long previous = 0;
        for (int size : new int[] {16, 64, 256}) {
            List<Integer> uids = new ArrayList<>();
            List<Integer> values = new ArrayList<>();
            for (int uid = 0; uid < size; uid++) {
                uids.add(uid);
                values.add(1 + (uid * 7919) % 65535);
            }
            ChainReceipt first = validator.setWeights(netuid, uids, values, 0);
            ChainReceipt again = validator.setWeights(netuid, uids, values.reversed(), 0);
            assertThat(validator.weights(netuid, 0).uids()).hasSize(size);
            assertThat(first.gasUsed()).isGreaterThan(previous);
            previous = first.gasUsed();
            lines.add(String.format(Locale.ROOT, "setWeights %3d uids: %,10d gas (row grows), %,10d gas (row rewritten)",
                    size, first.gasUsed(), again.gasUsed()));
        }
        assertThat(previous).as("a 256-uid row must fit a 30M-gas mainnet-style block").isLessThan(30_000_000L);

        Metagraph batched = null;
        for (int warm = 0; warm < 5; warm++) {
            batched = owner.metagraph(netuid);
        }
        long[] nanos = new long[21];
        for (int i = 0; i < nanos.length; i++) {
            long start = System.nanoTime();
            batched = owner.metagraph(netuid);
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        long perFieldStart = System.nanoTime();
        Metagraph perField = owner.metagraphByFields(netuid);
        long perFieldNanos = System.nanoTime() - perFieldStart;
        assertThat(batched.size()).isEqualTo(256);
        assertThat(batched).isEqualTo(perField);
        lines.add(String.format(Locale.ROOT, "metagraph of 256 uids, one batched eth_call: median %.1f ms (min %.1f, max %.1f over %d reads)",
                nanos[nanos.length / 2] / 1e6, nanos[0] / 1e6, nanos[nanos.length - 1] / 1e6, nanos.length));
        lines.add(String.format(Locale.ROOT, "metagraph of 256 uids, per-field precompile views (%d eth_calls): %.1f ms, %.0fx the batched read",
                256 * 14 + 1, perFieldNanos / 1e6, perFieldNanos / (double) nanos[nanos.length / 2]));

        // Worst case for registration into a full subnet: 64 permitted validators with 256-entry rows, each
        // row scanned to zero the weights on the replaced uid.
        List<Integer> all = new ArrayList<>();
        for (int uid = 0; uid < 256; uid++) {
            all.add(uid);
        }
        for (Web3jSubnetChain v : neurons.subList(1, 64)) {
            v.addStake(netuid, v.signer(), BigInteger.valueOf(1_000_000_000L));
        }
        ChainReceipt permits = owner.updateValidatorPermits(netuid);
        for (Web3jSubnetChain v : neurons.subList(0, 64)) {
            v.setWeights(netuid, all, all.stream().map(uid -> uid + 1).toList(), 0);
        }
        Web3jSubnetChain newcomer = fixture.newNeuron();
        int replaced = newcomer.register(netuid);
        long pruneGas = fixture.chain.lastBlockGasUsed();
        assertThat(owner.weights(netuid, 1).weightOn(replaced)).isZero();
        assertThat(pruneGas).as("pruning a full subnet must fit a 30M-gas block").isLessThan(30_000_000L);
        lines.add(String.format(Locale.ROOT, "updateValidatorPermits, 256 uids, top 64: %,d gas", permits.gasUsed()));
        lines.add(String.format(Locale.ROOT, "register into a full 256-uid subnet, 64 validators with 256-entry rows: %,d gas", pruneGas));
        lines.forEach(System.out::println);
        Files.write(Path.of("target", "chain-costs.txt"), lines);
    }
}
