package dev.chorus.chain.web3j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chorus.chain.ChainReceipt;
import dev.chorus.chain.Hyperparameters;
import dev.chorus.chain.ReceiptTimeout;
import dev.chorus.chain.WeightVector;
import dev.chorus.chain.WeightsRejected;
import dev.chorus.chain.testing.RpcProxy;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** How the client behaves towards the node: retries, deadlines, nonces, mined reverts. */
class ClientBehaviourIT {

    @RegisterExtension
    static final ChainFixture fixture = new ChainFixture(2);

    private static ClientOptions options(Duration receiptTimeout) {
        return new ClientOptions(OptionalLong.of(fixture.chain.chainId()), Duration.ofSeconds(5), receiptTimeout, Duration.ofMillis(10),
                4, Duration.ofMillis(20), Optional.empty(), 25);
    }

    @Test
    void transientHttpFailuresAreRetriedWithBackoff() throws Exception {
        try (RpcProxy proxy = new RpcProxy(fixture.chain.rpcUrl())) {
            proxy.failNext(3);
            try (Web3jSubnetChain client = Web3jSubnetChain.local(proxy.url(), fixture.contract,
                    fixture.chain.devAccount(0).credentials(), options(Duration.ofSeconds(10)))) {
                proxy.failNext(2);
                int netuid = client.createSubnet(Hyperparameters.localDevelopment(10));
                assertThat(client.hyperparameters(netuid).tempo()).isEqualTo(10);
            }
            assertThat(proxy.methods().stream().filter("eth_chainId"::equals).count()).isEqualTo(4);
        }
    }

    @Test
    void aLostReplyToASentTransactionDoesNotSendItTwice() throws Exception {
        int netuid = fixture.owner().createSubnet(Hyperparameters.localDevelopment(10));
        org.web3j.crypto.Credentials key = fixture.newKey();
        fixture.client(key).register(netuid);
        try (RpcProxy proxy = new RpcProxy(fixture.chain.rpcUrl());
             Web3jSubnetChain client = Web3jSubnetChain.local(proxy.url(), fixture.contract, key, options(Duration.ofSeconds(10)))) {
            long blockBefore = fixture.chain.blockNumber();
            proxy.dropNextReplyOf("eth_sendRawTransaction");
            client.serveAxon(netuid, "127.0.0.1", 8500);
            assertThat(proxy.methods().stream().filter("eth_sendRawTransaction"::equals).count()).isEqualTo(2);
            assertThat(fixture.chain.blockNumber()).isEqualTo(blockBefore + 1);
            assertThat(client.metagraph(netuid).neuron(0).axon().port()).isEqualTo(8500);
        }
    }

    @Test
    void aRejectionIsNeverRetriedNorSent() throws Exception {
        int netuid = fixture.owner().createSubnet(Hyperparameters.localDevelopment(10));
        fixture.newNeuron().register(netuid);
        try (RpcProxy proxy = new RpcProxy(fixture.chain.rpcUrl());
             Web3jSubnetChain stranger = Web3jSubnetChain.local(proxy.url(), fixture.contract,
                     fixture.newKey(), options(Duration.ofSeconds(10)))) {
            proxy.clear();
            assertThatThrownBy(() -> stranger.setWeights(netuid, new WeightVector(List.of(0), List.of(1)), 0))
                    .isInstanceOfSatisfying(WeightsRejected.class, e -> {
                        assertThat(e.reason()).isEqualTo(WeightsRejected.Reason.NOT_REGISTERED);
                        assertThat(e.txHash()).isEmpty();
                    });
            assertThat(proxy.methods()).containsExactly("eth_estimateGas");
        }
    }

    @Test
    void receiptWaitEndsAtTheDeadlineAndTheNonceMovesOn() {
        int netuid = fixture.owner().createSubnet(Hyperparameters.localDevelopment(10));
        try (Web3jSubnetChain impatient = Web3jSubnetChain.local(fixture.chain.rpcUrl(), fixture.contract,
                fixture.newKey(), options(Duration.ofMillis(300)))) {
            impatient.register(netuid);
            fixture.chain.setAutomine(false);
            String pending;
            try {
                pending = org.assertj.core.api.Assertions.catchThrowableOfType(ReceiptTimeout.class,
                        () -> impatient.serveAxon(netuid, "127.0.0.1", 8000)).txHash();
                fixture.chain.mine(1);
            } finally {
                fixture.chain.setAutomine(true);
            }
            assertThat(pending).startsWith("0x");
            ChainReceipt next = impatient.serveAxon(netuid, "127.0.0.1", 8001);
            assertThat(next.txHash()).isNotEqualTo(pending);
            assertThat(impatient.metagraph(netuid).neuron(0).axon().port()).isEqualTo(8001);
        }
    }

    @Test
    void concurrentWritesFromOneClientGetConsecutiveNonces() throws Exception {
        int netuid = fixture.owner().createSubnet(Hyperparameters.localDevelopment(10));
        Web3jSubnetChain neuron = fixture.newNeuron();
        neuron.register(netuid);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<CompletableFuture<ChainReceipt>> writes = new java.util.ArrayList<>();
            for (int i = 0; i < 10; i++) {
                int port = 9300 + i;
                writes.add(CompletableFuture.supplyAsync(() -> neuron.serveAxon(netuid, "127.0.0.1", port), threads));
            }
            java.util.Set<String> hashes = new java.util.HashSet<>();
            for (CompletableFuture<ChainReceipt> write : writes) {
                hashes.add(write.get().txHash());
            }
            assertThat(hashes).hasSize(10);
        }
    }

    @Test
    void aNonceUsedByAnotherClientOfTheSameKeyIsReread() {
        int netuid = fixture.owner().createSubnet(Hyperparameters.localDevelopment(10));
        org.web3j.crypto.Credentials key = fixture.newKey();
        Web3jSubnetChain first = fixture.client(key);
        first.register(netuid);
        Web3jSubnetChain second = fixture.client(key);
        second.serveAxon(netuid, "127.0.0.1", 8100);
        first.serveAxon(netuid, "127.0.0.1", 8101);
        assertThat(first.metagraph(netuid).neuron(0).axon().port()).isEqualTo(8101);
    }

    @Test
    void aTransactionThatRevertsInItsBlockIsDecodedWithItsHash() throws Exception {
        Hyperparameters hyperparameters = Hyperparameters.localDevelopment(10);
        int netuid = fixture.owner().createSubnet(hyperparameters);
        Web3jSubnetChain validator = fixture.newNeuron();
        validator.register(netuid);
        ClientOptions urgent = new ClientOptions(OptionalLong.of(fixture.chain.chainId()), Duration.ofSeconds(5), Duration.ofSeconds(10),
                Duration.ofMillis(10), 4, Duration.ofMillis(20), Optional.of(BigInteger.valueOf(50_000_000_000L)), 25);
        long before = fixture.chain.blockNumber();
        fixture.chain.setAutomine(false);
        try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();
             Web3jSubnetChain urgentOwner = Web3jSubnetChain.local(fixture.chain.rpcUrl(), fixture.contract,
                     fixture.chain.devAccount(0).credentials(), urgent)) {
            CompletableFuture<ChainReceipt> weights = CompletableFuture.supplyAsync(() ->
                    validator.setWeights(netuid, new WeightVector(List.of(0), List.of(1)), 0), senders);
            awaitPending(1, weights);
            // A higher tip puts the owner's change first in the block, after the weights passed estimation.
            CompletableFuture<ChainReceipt> raise = CompletableFuture.supplyAsync(() ->
                    urgentOwner.setHyperparameters(netuid, hyperparameters.with("weightsVersionKey", "5")), senders);
            awaitPending(2, raise);
            fixture.chain.mine(1);
            raise.get();
            assertThatThrownBy(weights::get).cause().isInstanceOfSatisfying(WeightsRejected.class, e -> {
                assertThat(e.reason()).isEqualTo(WeightsRejected.Reason.VERSION_KEY);
                assertThat(e.txHash()).isPresent();
            });
        } finally {
            fixture.chain.setAutomine(true);
        }
        assertThat(fixture.chain.blockNumber()).isEqualTo(before + 1);
    }

    private static void awaitPending(int count, CompletableFuture<?> sender) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (fixture.chain.pendingTransactions() < count) {
            if (sender.isDone()) {
                sender.get();
                throw new AssertionError("the transaction completed without being mined");
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("transactions did not reach the pool");
            }
            Thread.sleep(10);
        }
    }
}
