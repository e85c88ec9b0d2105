package dev.chorus.chain.web3j;

import dev.chorus.chain.Hyperparameters;
import dev.chorus.chain.local.LocalChain;
import dev.chorus.chain.local.LocalChainOptions;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.protocol.admin.Admin;
import org.web3j.protocol.http.HttpService;

/**
 * One Anvil per test class with a deployed Subnet contract; every client made here is closed with it.
 * Register with {@code @RegisterExtension static final ChainFixture fixture = new ChainFixture(n)}.
 */
final class ChainFixture implements BeforeAllCallback, AfterAllCallback {

    private final int accounts;
    private final List<Web3jSubnetChain> clients = new ArrayList<>();
    LocalChain chain;
    String contract;
    private Web3jSubnetChain owner;
    private Admin node;

    ChainFixture(int accounts) {
        this.accounts = accounts;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        chain = LocalChain.start(LocalChainOptions.defaults().withAccounts(accounts));
        contract = Web3jSubnetChain.deploy(chain.rpcUrl(), chain.devAccount(0).credentials(), options());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        clients.forEach(Web3jSubnetChain::close);
        clients.clear();
        owner = null;
        if (node != null) {
            node.shutdown();
            node = null;
        }
        chain.close();
    }

    /** A bare JSON-RPC connection to the node, for what the client does not do (raw calls, reading the pool); closed with the chain. */
    Admin node() {
        if (node == null) {
            node = Admin.build(new HttpService(chain.rpcUrl()));
        }
        return node;
    }

    ClientOptions options() {
        return ClientOptions.localChain(chain.chainId());
    }

    /** A client signing with dev account {@code index} (0 is the deployer and subnet owner). */
    Web3jSubnetChain client(int index) {
        return client(chain.devAccount(index).credentials());
    }

    Web3jSubnetChain client(Credentials credentials) {
        Web3jSubnetChain client = Web3jSubnetChain.local(chain.rpcUrl(), contract, credentials, options());
        clients.add(client);
        return client;
    }

    /** The subnet owner's client: dev account 0, which also deployed the contract. */
    Web3jSubnetChain owner() {
        if (owner == null) {
            owner = client(0);
        }
        return owner;
    }

    /** A fresh random key funded with 1000 ether, so tests never share hotkeys. */
    Credentials newKey() {
        try {
            Credentials credentials = Credentials.create(Keys.createEcKeyPair());
            chain.setBalance(credentials.getAddress(), BigInteger.TEN.pow(21));
            return credentials;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("secp256k1 key generation is always available", e);
        }
    }

    /** A client for a {@link #newKey()}. */
    Web3jSubnetChain newNeuron() {
        return client(newKey());
    }

    /** Mines until the next transaction lands in the epoch after the current one. */
    void mineIntoNextEpoch(int netuid, Hyperparameters hyperparameters) {
        long tempo = hyperparameters.tempo();
        long next = chain.blockNumber() + 1;
        long epoch = hyperparameters.epochIndexAt(netuid, next);
        long firstOfNext = (epoch + 1) * (tempo + 1) - netuid - 1;
        if (firstOfNext > next) {
            chain.mine(firstOfNext - next);
        }
    }

    int createSubnet(Hyperparameters hyperparameters) {
        return client(0).createSubnet(hyperparameters);
    }

    /** Sends calldata the client has no call for to the Subnet contract, signed by {@code signer}; reverts are decoded. */
    void send(Credentials signer, String action, String data, BigInteger value) {
        send(signer, contract, action, data, value);
    }

    /** Sends calldata to the contract at {@code to}, such as the emission token; reverts are decoded with the Subnet ABI. */
    void send(Credentials signer, String to, String action, String data, BigInteger value) {
        new TransactionSender(node(), signer, chain.chainId(), options(), new RevertDecoder(ContractArtifact.subnet().abi()))
                .send(action, to, data, value);
    }

    /** Sets the network lock cost as the deployer, dev account 0. */
    void setNetworkLockCost(BigInteger rao) {
        owner().setNetworkLockCost(rao);
    }
}
