package dev.chorus.chain.web3j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chorus.chain.ChainException;
import dev.chorus.chain.ChainReceipt;
import dev.chorus.chain.FeeAboveCeiling;
import dev.chorus.chain.Hyperparameters;
import dev.chorus.chain.ReceiptTimeout;
import dev.chorus.chain.TransactionRejected;
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
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.http.HttpService;

/** How the client behaves towards the node: retries, deadlines, nonces, mined reverts. */
class ClientBehaviourIT {

    @RegisterExtension
    static final ChainFixture fixture = new ChainFixture(2);

    /**
     * Runs the sends a test waits on while it mines by hand, on threads the test owns: CompletableFuture's default
     * executor is shared by the whole JVM and nobody waits for it, so a send a failed test left waiting for its block
     * would run on into the next test. Closed after the test's own clean-up has turned automine back on.
     */
    private final ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();

    @AfterEach
    void stopSenders() {
        senders.close();
    }

    private static ClientOptions options(Duration receiptTimeout) {
        return new ClientOptions(OptionalLong.of(fixture.chain.chainId()), Duration.ofSeconds(5), receiptTimeout, Duration.ofMillis(10),
                4, Duration.ofMillis(20), Optional.empty(), 25, Optional.empty());
    }

    private static final BigInteger GWEI = BigInteger.TEN.pow(9);
    private static final BigInteger CEILING = GWEI.multiply(BigInteger.valueOf(15));

    /** {@code options} with a 1 gwei tip and a fee ceiling of {@link #CEILING}. */
    private static ClientOptions withCeiling(ClientOptions options) {
        return new ClientOptions(options.expectedChainId(), options.httpTimeout(), options.receiptTimeout(),
                options.receiptPoll(), options.rpcAttempts(), options.retryBackoff(), Optional.of(GWEI),
                options.gasMarginPercent(), Optional.of(CEILING));
    }

    private static BigInteger latestBaseFee(Web3j node) throws java.io.IOException {
        return node.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false).send().getBlock().getBaseFeePerGas();
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
    void anotherContractsAddressIsRefusedAtConnect() {
        String token = fixture.client(0).emissionToken();
        assertThatThrownBy(() -> Web3jSubnetChain.local(fixture.chain.rpcUrl(), token,
                fixture.chain.devAccount(1).credentials(), fixture.options()))
                .isInstanceOf(ChainException.class)
                .hasMessageContaining("the contract at " + token)
                .hasMessageContaining("is not a Chorus Subnet contract");
    }

    @Test
    void aClientErrorFromTheNodeIsNotRetriedAndNamesTheSettingToCheck() throws Exception {
        try (RpcProxy proxy = new RpcProxy(fixture.chain.rpcUrl());
             Web3jSubnetChain client = Web3jSubnetChain.local(proxy.url(), fixture.contract,
                     fixture.chain.devAccount(0).credentials(), options(Duration.ofSeconds(10)))) {
            proxy.fail(RpcProxy.Fault.HTTP_404, 1);

            assertThatThrownBy(() -> client.hyperparameters(1)).isInstanceOf(ChainException.class)
                    .hasMessageContaining("HTTP 404").hasMessageContaining("check chain.rpc_url");
            assertThat(proxy.faulted()).as("requests answered 404").isEqualTo(1);
        }
    }

    @Test
    void aWebPageWhereTheNodeShouldBeIsNotRetriedAndNamesTheSettingToCheck() throws Exception {
        try (RpcProxy proxy = new RpcProxy(fixture.chain.rpcUrl())) {
            proxy.fail(RpcProxy.Fault.HTML_PAGE, 1);

            assertThatThrownBy(() -> Web3jSubnetChain.local(proxy.url(), fixture.contract,
                    fixture.chain.devAccount(0).credentials(), options(Duration.ofSeconds(10))))
                    .isInstanceOf(ChainException.class).hasNoCause()
                    .hasMessage("eth_chainId failed: the node answered with something that is not JSON, such as a web"
                            + " page; check that chain.rpc_url (--rpc-url) is the node's JSON-RPC endpoint");
            assertThat(proxy.faulted()).as("requests answered with a page").isEqualTo(1);
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

    /**
     * The same with the transaction still in the pool when the retry arrives: Anvil then answers "transaction already
     * imported" (geth says "already known"), and the client must recognise its own transaction, not report a refusal.
     */
    @Test
    void aLostReplyWhileTheTransactionWaitsInThePoolIsNotTakenForARefusal() throws Exception {
        int netuid = fixture.owner().createSubnet(Hyperparameters.localDevelopment(10));
        org.web3j.crypto.Credentials key = fixture.newKey();
        fixture.client(key).register(netuid);
        try (RpcProxy proxy = new RpcProxy(fixture.chain.rpcUrl());
             Web3jSubnetChain client = Web3jSubnetChain.local(proxy.url(), fixture.contract, key, options(Duration.ofSeconds(20)))) {
            proxy.dropNextReplyOf("eth_sendRawTransaction");
            fixture.chain.setAutomine(false);
            try {
                CompletableFuture<ChainReceipt> serving = CompletableFuture.supplyAsync(
                        () -> client.serveAxon(netuid, "127.0.0.1", 8502), senders);
                awaitPending(1, serving);
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (proxy.methods().stream().filter("eth_sendRawTransaction"::equals).count() < 2 && !serving.isDone()) {
                    assertThat(System.nanoTime()).as("the retried send").isLessThan(deadline);
                    Thread.sleep(10);
                }
                fixture.chain.mine(1);
                assertThat(serving.get(20, TimeUnit.SECONDS).txHash()).isNotBlank();
            } finally {
                fixture.chain.setAutomine(true);
            }
            assertThat(proxy.methods().stream().filter("eth_sendRawTransaction"::equals).count()).isEqualTo(2);
            assertThat(client.metagraph(netuid).neuron(0).axon().port()).isEqualTo(8502);
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
    void aTransactionWhoseReceiptWaitFailedIsReplacedByTheNextSoOnlyOneLands() throws Exception {
        assertALostSendIsReplacedByTheNext((proxy, client, netuid) -> {
            CompletableFuture<ChainReceipt> first = CompletableFuture.supplyAsync(
                    () -> client.serveAxon(netuid, "127.0.0.1", 8000), senders);
            awaitPending(1, first);
            proxy.fail(RpcProxy.Fault.HTTP_503, 1);
            assertThatThrownBy(() -> first.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(ChainException.class);
            proxy.fail(null, 1);
        });
    }

    /**
     * A retried send answered "already imported", whose own record then cannot be read through every retry: the
     * transaction sits in the pool, so the next send must take over its nonce, not queue a second one behind it.
     */
    @Test
    void aSendWhoseFateCouldNotBeReadIsReplacedByTheNextSoOnlyOneLands() throws Exception {
        assertALostSendIsReplacedByTheNext((proxy, client, netuid) -> {
            proxy.clear();
            proxy.dropNextReplyOf("eth_sendRawTransaction");
            proxy.failNextOf("eth_getTransactionByHash", 4);
            assertThatThrownBy(() -> client.serveAxon(netuid, "127.0.0.1", 8000)).isInstanceOf(ChainException.class)
                    .isNotInstanceOf(ReceiptTimeout.class);
            assertThat(proxy.methods().stream().filter("eth_sendRawTransaction"::equals).count()).as("sent, then retried").isEqualTo(2);
        });
    }

    /** Leaves one axon update in the pool (automine off) while the client cannot tell whether the node took it. */
    private interface LostSend {
        void strand(RpcProxy proxy, Web3jSubnetChain client, int netuid) throws Exception;
    }

    /**
     * Strands a send as {@code lost} does, sends the next through the same client and checks that it took the
     * stranded one's place: only one lands, and its port is the one served.
     */
    private void assertALostSendIsReplacedByTheNext(LostSend lost) throws Exception {
        int netuid = fixture.owner().createSubnet(Hyperparameters.localDevelopment(10));
        org.web3j.crypto.Credentials key = fixture.newKey();
        Web3j node = Web3j.build(new HttpService(fixture.chain.rpcUrl()));
        try (RpcProxy proxy = new RpcProxy(fixture.chain.rpcUrl());
             Web3jSubnetChain client = Web3jSubnetChain.local(proxy.url(), fixture.contract, key,
                     options(Duration.ofSeconds(20)))) {
            int uid = client.register(netuid);
            client.serveAxon(netuid, "127.0.0.1", 7999);
            BigInteger nonceBefore = minedNonce(node, key.getAddress());
            String stranded;
            ChainReceipt replacement;
            fixture.chain.setAutomine(false);
            try {
                lost.strand(proxy, client, netuid);
                stranded = (String) node.ethGetBlockByNumber(DefaultBlockParameterName.PENDING, false)
                        .send().getBlock().getTransactions().getFirst().get();
                replacement = replaceAndMine(node, stranded, () -> client.serveAxon(netuid, "127.0.0.1", 8001));
            } finally {
                fixture.chain.setAutomine(true);
            }
            assertOnlyTheReplacementLanded(node, stranded, replacement, key.getAddress(), nonceBefore);
            assertThat(client.metagraph(netuid).neuron(uid).axon().port()).isEqualTo(8001);
        } finally {
            node.shutdown();
        }
    }

    @Test
    void aTransactionLeftUnminedIsReplacedByTheNextSoOnlyOneLands() throws Exception {
        int netuid = fixture.owner().createSubnet(Hyperparameters.localDevelopment(10));
        org.web3j.crypto.Credentials key = fixture.newKey();
        Web3j node = Web3j.build(new HttpService(fixture.chain.rpcUrl()));
        try (Web3jSubnetChain impatient = Web3jSubnetChain.local(fixture.chain.rpcUrl(), fixture.contract, key,
                options(Duration.ofSeconds(2)))) {
            int uid = impatient.register(netuid);
            // An axon already served makes both updates cost the same gas: the node estimates the second on a
            // pending state that still holds the first, which the replacement then takes out.
            impatient.serveAxon(netuid, "127.0.0.1", 7999);
            BigInteger nonceBefore = minedNonce(node, key.getAddress());
            String stuck;
            ChainReceipt replacement;
            fixture.chain.setAutomine(false);
            try {
                stuck = org.assertj.core.api.Assertions.catchThrowableOfType(ReceiptTimeout.class,
                        () -> impatient.serveAxon(netuid, "127.0.0.1", 8000)).txHash();
                replacement = replaceAndMine(node, stuck, () -> impatient.serveAxon(netuid, "127.0.0.1", 8001));
            } finally {
                fixture.chain.setAutomine(true);
            }
            assertOnlyTheReplacementLanded(node, stuck, replacement, key.getAddress(), nonceBefore);
            assertThat(impatient.metagraph(netuid).neuron(uid).axon().port()).isEqualTo(8001);
        } finally {
            node.shutdown();
        }
    }

    @Test
    void theFeeCeilingCapsWhatTheKeySignsAndRefusesABaseFeeAboveIt() throws Exception {
        int netuid = fixture.owner().createSubnet(Hyperparameters.localDevelopment(10));
        org.web3j.crypto.Credentials key = fixture.newKey();
        fixture.client(key).register(netuid);
        ClientOptions capped = withCeiling(options(Duration.ofSeconds(10)));
        Web3j node = Web3j.build(new HttpService(fixture.chain.rpcUrl()));
        BigInteger baseFeeBefore = latestBaseFee(node);
        try (Web3jSubnetChain client = Web3jSubnetChain.local(fixture.chain.rpcUrl(), fixture.contract, key, capped)) {
            // 2 x 10 gwei base fee + 1 gwei tip would be a 21 gwei cap: held to 15, and the transaction still lands
            fixture.chain.setNextBaseFee(GWEI.multiply(BigInteger.TEN));
            ChainReceipt held = client.serveAxon(netuid, "127.0.0.1", 8101);
            assertThat(node.ethGetTransactionByHash(held.txHash()).send().getTransaction().orElseThrow().getMaxFeePerGas())
                    .isEqualTo(CEILING);

            fixture.chain.setNextBaseFee(GWEI.multiply(BigInteger.valueOf(16)));
            BigInteger nonce = minedNonce(node, key.getAddress());
            assertThatThrownBy(() -> client.serveAxon(netuid, "127.0.0.1", 8102))
                    .isInstanceOf(FeeAboveCeiling.class)
                    .hasMessageContaining("base fee is 16000000000 wei per gas, above the ceiling of 15000000000 wei")
                    .hasMessageContaining("chain.max_fee_per_gas_wei");
            assertThat(node.ethGetTransactionCount(key.getAddress(), DefaultBlockParameterName.PENDING).send()
                    .getTransactionCount()).as("nothing was sent").isEqualTo(nonce);
        } finally {
            fixture.chain.setNextBaseFee(baseFeeBefore);
            node.shutdown();
        }
    }

    @Test
    void aTransactionStuckAtTheCeilingIsNotReplacedPastIt() throws Exception {
        int netuid = fixture.owner().createSubnet(Hyperparameters.localDevelopment(10));
        org.web3j.crypto.Credentials key = fixture.newKey();
        ClientOptions capped = withCeiling(options(Duration.ofSeconds(2)));
        Web3j node = Web3j.build(new HttpService(fixture.chain.rpcUrl()));
        BigInteger baseFeeBefore = latestBaseFee(node);
        try (Web3jSubnetChain client = Web3jSubnetChain.local(fixture.chain.rpcUrl(), fixture.contract, key, capped)) {
            client.register(netuid);
            String stuck = stuckAtTheCeiling(client, netuid);
            assertThat(node.ethGetTransactionByHash(stuck).send().getTransaction().orElseThrow().getMaxFeePerGas())
                    .isEqualTo(CEILING);
            BigInteger pending = node.ethGetTransactionCount(key.getAddress(), DefaultBlockParameterName.PENDING).send()
                    .getTransactionCount();

            assertThatThrownBy(() -> client.serveAxon(netuid, "127.0.0.1", 8001))
                    .isInstanceOf(FeeAboveCeiling.class)
                    .hasMessageContaining(stuck).hasMessageContaining("may still land");
            assertThat(node.ethGetTransactionCount(key.getAddress(), DefaultBlockParameterName.PENDING).send()
                    .getTransactionCount()).as("no replacement sent").isEqualTo(pending);
            fixture.chain.setAutomine(true);
            fixture.chain.mine(1);
            assertThat(node.ethGetTransactionReceipt(stuck).send().getTransactionReceipt()).as("the stuck one landed").isPresent();
        } finally {
            restoreMining(baseFeeBefore);
            node.shutdown();
        }
    }

    /**
     * A fee spike strands a transaction signed well under the ceiling: twice the new base fee plus the tip passes the
     * ceiling, but the ceiling itself both pays the base fee and outbids the stranded one, so the next send takes its
     * place at the ceiling instead of being refused until the base fee falls back to half of it.
     */
    @Test
    void aTransactionStrandedByAFeeSpikeIsReplacedAtTheCeilingWhenTheCeilingOutbidsIt() throws Exception {
        int netuid = fixture.owner().createSubnet(Hyperparameters.localDevelopment(10));
        org.web3j.crypto.Credentials key = fixture.newKey();
        ClientOptions capped = withCeiling(options(Duration.ofSeconds(2)));
        Web3j node = Web3j.build(new HttpService(fixture.chain.rpcUrl()));
        BigInteger baseFeeBefore = latestBaseFee(node);
        try (Web3jSubnetChain client = Web3jSubnetChain.local(fixture.chain.rpcUrl(), fixture.contract, key, capped)) {
            int uid = client.register(netuid);
            String stranded = leftInThePool(client, netuid, GWEI.multiply(BigInteger.valueOf(3)));
            BigInteger nonceBefore = minedNonce(node, key.getAddress());
            assertThat(node.ethGetTransactionByHash(stranded).send().getTransaction().orElseThrow().getMaxFeePerGas())
                    .as("2 x 3 gwei + 1 gwei").isEqualTo(GWEI.multiply(BigInteger.valueOf(7)));

            // 10 gwei: the stranded cap of 7 cannot be mined, 2 x 10 + 1 passes the ceiling of 15, and 15 outbids 7
            fixture.chain.setNextBaseFee(GWEI.multiply(BigInteger.TEN));
            ChainReceipt replacement = replaceAndMine(node, stranded, () -> client.serveAxon(netuid, "127.0.0.1", 8001));

            assertThat(node.ethGetTransactionByHash(replacement.txHash()).send().getTransaction().orElseThrow()
                    .getMaxFeePerGas()).isEqualTo(CEILING);
            fixture.chain.setAutomine(true);
            assertOnlyTheReplacementLanded(node, stranded, replacement, key.getAddress(), nonceBefore);
            assertThat(client.metagraph(netuid).neuron(uid).axon().port()).isEqualTo(8001);
        } finally {
            restoreMining(baseFeeBefore);
            node.shutdown();
        }
    }

    /**
     * Serves an axon (so that the next update costs the same gas), then leaves one update signed at the ceiling in the
     * pool with automine off and a 10 gwei base fee, past its receipt wait; returns its hash.
     */
    private static String stuckAtTheCeiling(Web3jSubnetChain client, int netuid) {
        return leftInThePool(client, netuid, GWEI.multiply(BigInteger.TEN));
    }

    /**
     * Serves an axon, then leaves one update signed at {@code baseFee} in the pool with automine off, past its receipt
     * wait; returns its hash.
     */
    private static String leftInThePool(Web3jSubnetChain client, int netuid, BigInteger baseFee) {
        client.serveAxon(netuid, "127.0.0.1", 7999);
        fixture.chain.setNextBaseFee(baseFee);
        fixture.chain.setAutomine(false);
        return org.assertj.core.api.Assertions.catchThrowableOfType(ReceiptTimeout.class,
                () -> client.serveAxon(netuid, "127.0.0.1", 8000)).txHash();
    }

    private static void restoreMining(BigInteger baseFee) {
        fixture.chain.setAutomine(true);
        fixture.chain.setNextBaseFee(baseFee);
        fixture.chain.mine(1);
    }

    /**
     * A transaction stuck at the ceiling that the node then drops (pool eviction, a restart) can never land; its
     * nonce is free, and the next send must take it at the ceiling rather than ask for a raise the ceiling refuses.
     */
    @Test
    void aTransactionTheNodeDroppedAtTheCeilingFreesItsNonceForTheNextSend() throws Exception {
        int netuid = fixture.owner().createSubnet(Hyperparameters.localDevelopment(10));
        org.web3j.crypto.Credentials key = fixture.newKey();
        ClientOptions capped = withCeiling(options(Duration.ofSeconds(2)));
        Web3j node = Web3j.build(new HttpService(fixture.chain.rpcUrl()));
        BigInteger baseFeeBefore = latestBaseFee(node);
        try (Web3jSubnetChain client = Web3jSubnetChain.local(fixture.chain.rpcUrl(), fixture.contract, key, capped)) {
            int uid = client.register(netuid);
            String dropped = stuckAtTheCeiling(client, netuid);
            BigInteger droppedNonce = minedNonce(node, key.getAddress());
            fixture.chain.dropTransaction(dropped);
            assertThat(node.ethGetTransactionByHash(dropped).send().getTransaction()).as("dropped by the node").isEmpty();
            fixture.chain.setAutomine(true);
            fixture.chain.setNextBaseFee(GWEI);
            fixture.chain.mine(1);

            ChainReceipt next = client.serveAxon(netuid, "127.0.0.1", 8001);
            assertThat(next.txHash()).isNotEqualTo(dropped);
            assertThat(minedNonce(node, key.getAddress())).as("the dropped one's nonce, taken by the next").isEqualTo(droppedNonce.add(BigInteger.ONE));
            assertThat(client.metagraph(netuid).neuron(uid).axon().port()).isEqualTo(8001);
            assertThat(client.serveAxon(netuid, "127.0.0.1", 8002).txHash()).as("and later sends go on").isNotBlank();
        } finally {
            restoreMining(baseFeeBefore);
            node.shutdown();
        }
    }

    @Test
    void aTransactionAnEarlierRunLeftUnminableInThePoolIsReplacedByTheNextRun() throws Exception {
        int netuid = fixture.owner().createSubnet(Hyperparameters.localDevelopment(10));
        org.web3j.crypto.Credentials key = fixture.newKey();
        Web3j node = Web3j.build(new HttpService(fixture.chain.rpcUrl()));
        BigInteger baseFeeBefore = latestBaseFee(node);
        int uid = fixture.client(key).register(netuid);
        BigInteger nonceBefore;
        String stranded;
        ChainReceipt replacement;
        try {
            fixture.client(key).serveAxon(netuid, "127.0.0.1", 7999);
            nonceBefore = minedNonce(node, key.getAddress());
            stranded = strandInPool(key, netuid, 8000);
            // A fee spike: the next block's base fee rises above the stranded transaction's cap.
            BigInteger cap = node.ethGetTransactionByHash(stranded).send().getTransaction().orElseThrow().getMaxFeePerGas();
            fixture.chain.setNextBaseFee(cap.multiply(BigInteger.valueOf(4)));
            Web3jSubnetChain nextRun = fixture.client(key);
            replacement = replaceAndMine(node, stranded, () -> nextRun.serveAxon(netuid, "127.0.0.1", 8001));
        } finally {
            fixture.chain.setAutomine(true);
            fixture.chain.setNextBaseFee(baseFeeBefore);
            fixture.chain.mine(1);
        }
        try {
            assertOnlyTheReplacementLanded(node, stranded, replacement, key.getAddress(), nonceBefore);
            assertThat(fixture.owner().metagraph(netuid).neuron(uid).axon().port()).isEqualTo(8001);
        } finally {
            node.shutdown();
        }
    }

    @Test
    void aMinableTransactionThisProcessDidNotSendIsLeftToLandFirst() throws Exception {
        int netuid = fixture.owner().createSubnet(Hyperparameters.localDevelopment(10));
        org.web3j.crypto.Credentials key = fixture.newKey();
        Web3j node = Web3j.build(new HttpService(fixture.chain.rpcUrl()));
        int uid = fixture.client(key).register(netuid);
        BigInteger nonceBefore = minedNonce(node, key.getAddress());
        String other;
        ChainReceipt ours;
        Web3jSubnetChain client = fixture.client(key);
        try {
            other = strandInPool(key, netuid, 8000);
            CompletableFuture<ChainReceipt> sent = CompletableFuture.supplyAsync(
                    () -> client.serveAxon(netuid, "127.0.0.1", 8001), senders);
            awaitPending(2, sent);
            fixture.chain.mine(1);
            ours = sent.get(10, TimeUnit.SECONDS);
        } finally {
            fixture.chain.setAutomine(true);
        }
        try {
            assertThat(node.ethGetTransactionReceipt(other).send().getTransactionReceipt()).as("the other transaction").isPresent();
            assertThat(ours.txHash()).isNotEqualTo(other);
            assertThat(minedNonce(node, key.getAddress())).isEqualTo(nonceBefore.add(BigInteger.TWO));
            assertThat(fixture.owner().metagraph(netuid).neuron(uid).axon().port()).isEqualTo(8001);
        } finally {
            node.shutdown();
        }
    }

    /**
     * Turns automine off (the caller turns it back on) and leaves a transaction of {@code key} in the pool, sent
     * by a client that has closed since, as a validator that stopped while waiting for its receipt does.
     */
    private static String strandInPool(org.web3j.crypto.Credentials key, int netuid, int port) {
        try (Web3jSubnetChain earlierRun = Web3jSubnetChain.local(fixture.chain.rpcUrl(), fixture.contract, key,
                options(Duration.ofMillis(300)))) {
            fixture.chain.setAutomine(false);
            return org.assertj.core.api.Assertions.catchThrowableOfType(ReceiptTimeout.class,
                    () -> earlierRun.serveAxon(netuid, "127.0.0.1", port)).txHash();
        }
    }

    /**
     * A send down the long paths together: a transaction left unmined that the node dropped, a nonce another client of
     * the key takes between the read and the send (so a second signing), and a revert in the block replayed for its
     * reason. Its requests, with one receipt poll, must fit the budget that {@link ClientOptions#longestTransaction}
     * sizes the validator's blocked-thread warning from.
     */
    @Test
    void aSendDownTheLongPathsStaysWithinTheRequestBudget() throws Exception {
        int netuid = fixture.owner().createSubnet(Hyperparameters.localDevelopment(10));
        org.web3j.crypto.Credentials key = fixture.newKey();
        try (RpcProxy proxy = new RpcProxy(fixture.chain.rpcUrl());
             Web3jSubnetChain client = Web3jSubnetChain.local(proxy.url(), fixture.contract, key, options(Duration.ofMillis(300)))) {
            fixture.chain.setAutomine(false);
            try {
                fixture.chain.dropTransaction(org.assertj.core.api.Assertions.catchThrowableOfType(ReceiptTimeout.class,
                        () -> client.register(netuid)).txHash());
            } finally {
                fixture.chain.setAutomine(true);
            }
            Web3jSubnetChain other = Web3jSubnetChain.local(fixture.chain.rpcUrl(), fixture.contract, key, anotherClientsOptions());
            proxy.beforeNext("eth_sendRawTransaction", () -> {
                try (other) {
                    other.register(netuid);
                }
            });
            proxy.clear();

            assertThatThrownBy(() -> client.register(netuid)).isInstanceOfSatisfying(TransactionRejected.class, e -> {
                assertThat(e.errorName()).isEqualTo("HotKeyAlreadyRegisteredInSubNet");
                assertThat(e.txHash()).as("mined, then replayed").isPresent();
            });
            List<String> methods = proxy.methods();
            List<String> send = methods.subList(methods.indexOf("eth_estimateGas"), methods.size()).stream()
                    .filter(m -> !m.equals("eth_getTransactionReceipt")).toList();
            assertThat(send).containsExactly("eth_estimateGas", "eth_maxPriorityFeePerGas", "eth_getBlockByNumber",
                    "eth_getTransactionCount", "eth_getTransactionByHash", "eth_getTransactionCount", "eth_sendRawTransaction",
                    "eth_getTransactionByHash", "eth_getTransactionCount", "eth_getTransactionCount", "eth_sendRawTransaction",
                    "eth_call");
            assertThat(send.size() + 1).as("with the last receipt poll").isLessThanOrEqualTo(TransactionSender.REQUESTS_PER_SEND);
        }
    }

    /**
     * A transaction that passed its estimate and reverted in its block, whose replay for the reason the node refuses
     * (a provider's backend that has not seen the block yet): the rejection says it was mined, with its hash and an
     * unknown reason, not that the node refused it before it reached the chain and nothing was spent.
     */
    @Test
    void aMinedRevertWhoseReplayTheNodeRefusesIsAnUnknownRevertWithItsHash() throws Exception {
        int netuid = fixture.owner().createSubnet(Hyperparameters.localDevelopment(10));
        org.web3j.crypto.Credentials key = fixture.newKey();
        try (RpcProxy proxy = new RpcProxy(fixture.chain.rpcUrl());
             Web3jSubnetChain client = Web3jSubnetChain.local(proxy.url(), fixture.contract, key, options(Duration.ofSeconds(5)));
             Web3jSubnetChain other = Web3jSubnetChain.local(fixture.chain.rpcUrl(), fixture.contract, key, anotherClientsOptions())) {
            proxy.beforeNext("eth_sendRawTransaction", () -> {
                other.register(netuid);
                proxy.failNextOf("eth_call", 1, RpcProxy.Fault.RPC_HEADER_NOT_FOUND);
            });

            assertThatThrownBy(() -> client.register(netuid)).isInstanceOfSatisfying(TransactionRejected.class, e -> {
                assertThat(e.errorName()).isEqualTo("UnknownRevert");
                assertThat(e.arguments()).containsExactly("-32000: header not found");
                assertThat(e.txHash()).as("mined").isPresent();
                assertThat(e.getMessage()).doesNotContain("nothing was spent");
            });
            assertThat(proxy.methods()).as("the replay was asked for").contains("eth_call");
        }
    }

    /**
     * Another client of the same key: a higher tip than the node suggests, or it would sign the very same transaction
     * and the race would end in one transaction, not two.
     */
    private static ClientOptions anotherClientsOptions() {
        return new ClientOptions(OptionalLong.of(fixture.chain.chainId()), Duration.ofSeconds(5), Duration.ofSeconds(10),
                Duration.ofMillis(10), 4, Duration.ofMillis(20), Optional.of(GWEI.shiftLeft(1)), 25, Optional.empty());
    }

    @Test
    void aTransactionOutOfGasBecauseTheStateMovedIsEstimatedAgainAndSentOnce() throws Exception {
        int netuid = fixture.owner().createSubnet(Hyperparameters.localDevelopment(10)
                .with("maxAllowedValidators", "8").with("maxAllowedUids", "40"));
        for (int i = 0; i < 30; i++) {
            fixture.newNeuron().register(netuid);
        }
        // All three estimated against 30 neurons, the last to land takes uid 32, where every packed per-uid array
        // of the contract opens a new storage slot: it needs ~28 % more gas than estimated, over the 25 % margin.
        List<org.web3j.crypto.Credentials> keys = List.of(fixture.newKey(), fixture.newKey(), fixture.newKey());
        List<Integer> uids = new java.util.ArrayList<>();
        try (RpcProxy proxy = new RpcProxy(fixture.chain.rpcUrl());
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            proxy.gather("eth_sendRawTransaction", keys.size());
            List<CompletableFuture<Integer>> registrations = new java.util.ArrayList<>();
            for (org.web3j.crypto.Credentials key : keys) {
                Web3jSubnetChain client = Web3jSubnetChain.local(proxy.url(), fixture.contract, key, options(Duration.ofSeconds(10)));
                registrations.add(CompletableFuture.supplyAsync(() -> {
                    try (client) {
                        return client.register(netuid);
                    }
                }, threads));
            }
            for (CompletableFuture<Integer> registration : registrations) {
                uids.add(registration.get(30, TimeUnit.SECONDS));
            }
        }
        assertThat(uids).containsExactlyInAnyOrder(30, 31, 32);
        Web3j node = Web3j.build(new HttpService(fixture.chain.rpcUrl()));
        try {
            BigInteger sent = BigInteger.ZERO;
            for (org.web3j.crypto.Credentials key : keys) {
                sent = sent.add(minedNonce(node, key.getAddress()));
            }
            assertThat(sent).as("one registration ran out of gas and was sent again").isEqualTo(BigInteger.valueOf(4));
        } finally {
            node.shutdown();
        }
    }

    private static BigInteger minedNonce(Web3j node, String address) throws java.io.IOException {
        return node.ethGetTransactionCount(address, DefaultBlockParameterName.LATEST).send().getTransactionCount();
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
                Duration.ofMillis(10), 4, Duration.ofMillis(20), Optional.of(BigInteger.valueOf(50_000_000_000L)), 25, Optional.empty());
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

    /** One transaction landed on {@code nonceBefore}, the replacement, and nothing is left in the pool. */
    private static void assertOnlyTheReplacementLanded(Web3j node, String replaced, ChainReceipt replacement, String address,
                                                      BigInteger nonceBefore) throws java.io.IOException {
        assertThat(replacement.txHash()).isNotEqualTo(replaced);
        assertThat(node.ethGetTransactionReceipt(replaced).send().getTransactionReceipt()).as("receipt of %s", replaced).isEmpty();
        assertThat(minedNonce(node, address)).isEqualTo(nonceBefore.add(BigInteger.ONE));
        assertThat(fixture.chain.pendingTransactions()).isZero();
    }

    /**
     * Sends {@code next} while {@code pendingHash} sits in the pool (automine off), waits until it has taken that
     * transaction's place, mines one block and returns the receipt of {@code next}.
     */
    private ChainReceipt replaceAndMine(Web3j node, String pendingHash, Supplier<ChainReceipt> next)
            throws Exception {
        CompletableFuture<ChainReceipt> sent = CompletableFuture.supplyAsync(next, senders);
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (node.ethGetTransactionByHash(pendingHash).send().getTransaction().isPresent()) {
            assertThat(System.nanoTime()).as("transaction %s was never replaced", pendingHash).isLessThan(deadline);
            Thread.sleep(20);
        }
        fixture.chain.mine(1);
        return sent.get(10, TimeUnit.SECONDS);
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
