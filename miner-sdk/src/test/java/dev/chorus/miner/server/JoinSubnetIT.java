package dev.chorus.miner.server;

import dev.chorus.chain.Hyperparameters;
import dev.chorus.chain.Neuron;
import dev.chorus.chain.SubnetChain;
import dev.chorus.chain.TransactionRejected;
import dev.chorus.chain.local.LocalChain;
import dev.chorus.chain.local.LocalChainOptions;
import dev.chorus.chain.web3j.ClientOptions;
import dev.chorus.chain.web3j.SigningKey;
import dev.chorus.chain.web3j.Web3jSubnetChain;
import dev.chorus.miner.protocol.Hotkey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.utils.Numeric;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link MinerServer#joinSubnet} on a real Anvil, on a subnet whose serving rate limit refuses a second announcement
 * for 1,000 blocks, as a production subnet's does for minutes.
 */
class JoinSubnetIT {

    private static LocalChain chain;
    private static String contract;
    private static int netuid;
    private static final List<SubnetChain> clients = new ArrayList<>();

    @TempDir
    Path dir;

    @BeforeAll
    static void startChain() {
        chain = LocalChain.start(LocalChainOptions.defaults().withAccounts(4));
        contract = Web3jSubnetChain.deploy(chain.rpcUrl(), chain.devAccount(0).credentials(), options());
        netuid = client(chain.devAccount(0).credentials())
                .createSubnet(Hyperparameters.localDevelopment(360).with("servingRateLimit", "1000"));
    }

    @AfterAll
    static void stopChain() {
        clients.forEach(SubnetChain::close);
        chain.close();
    }

    @Test
    void registersAndAnnouncesOnceAndARestartAtTheSameAddressSendsNothing() {
        Credentials key = chain.devAccount(1).credentials();
        SubnetChain miner = client(key);
        MinerServer first = start(Hotkey.of(key), 0);
        int port = first.port();

        Registration joined = first.joinSubnet(miner, "127.0.0.1");

        Neuron neuron = miner.metagraph(netuid).byHotkey(key.getAddress()).orElseThrow();
        assertThat(joined).isEqualTo(new Registration(netuid, neuron.uid(), true, true));
        assertThat(neuron.axon().servesAt("127.0.0.1", port)).as(neuron.axon().endpoint()).isTrue();

        first.close().await();
        MinerServer restarted = start(Hotkey.of(key), port);
        long block = miner.blockNumber();
        try {
            assertThat(restarted.joinSubnet(miner, "127.0.0.1")).isEqualTo(new Registration(netuid, neuron.uid(), false, false));
            assertThat(miner.blockNumber()).as("blocks mined, one per transaction on Anvil").isEqualTo(block);
        } finally {
            restarted.close().await();
        }
    }

    @Test
    void anAnnouncementTheChainRefusesClosesTheServerBeforeThrowing() {
        Credentials key = chain.devAccount(2).credentials();
        SubnetChain miner = client(key);
        MinerServer first = start(Hotkey.of(key), 0);
        first.joinSubnet(miner, "127.0.0.1");
        first.close().await();

        MinerServer moved = start(Hotkey.of(key), 0);
        assertThatThrownBy(() -> moved.joinSubnet(miner, "127.0.0.1")).isInstanceOfSatisfying(TransactionRejected.class,
                e -> assertThat(e.errorName()).isEqualTo("ServingRateLimitExceeded"));

        assertThat(moved.close().succeeded()).as("closed by the time joinSubnet threw").isTrue();
        assertThatThrownBy(() -> new Socket().connect(new InetSocketAddress("127.0.0.1", moved.port()), 2_000))
                .isInstanceOf(ConnectException.class);
    }

    @Test
    void aChainClientSigningWithAnotherKeyIsRefusedBeforeAnyTransaction() {
        SubnetChain someoneElse = client(chain.devAccount(3).credentials());
        MinerServer server = start(Hotkey.random(), 0);
        long block = someoneElse.blockNumber();

        assertThatThrownBy(() -> server.joinSubnet(someoneElse, "127.0.0.1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the chain client signs as " + someoneElse.signer() + " but the miner's hotkey is "
                        + server.hotkey().address());

        assertThat(someoneElse.blockNumber()).isEqualTo(block);
        assertThat(server.close().succeeded()).isTrue();
    }

    /**
     * The README's miner, whose {@code main} ends on the exception, with a key that holds no funds: before joinSubnet
     * closed the server on failure, its Vert.x kept the process alive, listening and unregistered, until Ctrl-C.
     */
    @Test
    void aMinerWhoseRegistrationFailsExitsWithTheChainsReason() throws Exception {
        String unfunded = Numeric.toHexStringNoPrefixZeroPadded(Keys.createEcKeyPair().getPrivateKey(), 64);
        MinerProcess exit = MinerProcess.run(dir, MinerJoiningSubnet.class, Map.of("CHORUS_PRIVATE_KEY", unfunded),
                chain.rpcUrl(), contract, Integer.toString(netuid));

        assertThat(exit.exited()).as("the miner process exited after its failed registration; its output:%n%s",
                exit.output()).isTrue();
        assertThat(exit.status()).isNotZero();
        assertThat(exit.output()).contains("cannot pay for the gas and value");
    }

    /** EchoMiner (miner-sdk/README.md) with the node, contract and netuid as arguments and port 0. */
    static final class MinerJoiningSubnet {
        public static void main(String[] args) {
            Credentials key = SigningKey.fromEnvironment("CHORUS_PRIVATE_KEY");
            var chain = Web3jSubnetChain.local(args[0], args[1], key, ClientOptions.defaults());
            int netuid = Integer.parseInt(args[2]);
            MinerServer server = MinerServer.builder()
                    .hotkey(Hotkey.of(key)).netuid(netuid).port(0).metagraph(MetagraphSource.fromChain(chain, netuid))
                    .miner(query -> "You asked: " + query.prompt())
                    .start().await();
            StopOnSignal.install("echo-miner-stop", () -> server.close().await());
            server.joinSubnet(chain, "127.0.0.1");
        }
    }

    private static MinerServer start(Hotkey hotkey, int port) {
        SubnetChain reader = client(chain.devAccount(0).credentials());
        return MinerServer.builder().hotkey(hotkey).netuid(netuid).port(port)
                .metagraph(MetagraphSource.fromChain(reader, netuid)).miner(query -> "unused").start().await();
    }

    private static SubnetChain client(Credentials key) {
        SubnetChain client = Web3jSubnetChain.local(chain.rpcUrl(), contract, key, options());
        clients.add(client);
        return client;
    }

    private static ClientOptions options() {
        return ClientOptions.localChain(chain.chainId());
    }
}
