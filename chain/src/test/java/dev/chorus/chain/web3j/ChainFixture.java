package dev.chorus.chain.web3j;

import dev.chorus.chain.Hyperparameters;
import dev.chorus.chain.local.LocalChain;
import dev.chorus.chain.local.LocalChainOptions;
import java.util.ArrayList;
import java.util.List;
import org.web3j.crypto.Credentials;

/** One Anvil with a deployed Subnet contract and a client per dev account, closed together. */
final class ChainFixture implements AutoCloseable {

    final LocalChain chain;
    final String contract;
    private final List<Web3jSubnetChain> clients = new ArrayList<>();

    ChainFixture(int accounts) {
        chain = LocalChain.start(LocalChainOptions.defaults().withAccounts(accounts));
        try {
            contract = Web3jSubnetChain.deploy(chain.rpcUrl(), chain.devAccount(0).credentials(), options());
        } catch (RuntimeException e) {
            chain.close();
            throw e;
        }
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

    int createSubnet(Hyperparameters hyperparameters) {
        return client(0).createSubnet(hyperparameters);
    }

    @Override
    public void close() {
        clients.forEach(Web3jSubnetChain::close);
        chain.close();
    }
}
