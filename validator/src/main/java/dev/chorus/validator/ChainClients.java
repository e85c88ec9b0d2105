package dev.chorus.validator;

import dev.chorus.chain.SubnetChain;
import dev.chorus.chain.web3j.ClientOptions;
import dev.chorus.chain.web3j.Web3jSubnetChain;
import dev.chorus.config.ChainSettings;
import org.web3j.crypto.Credentials;

/** Connects the web3j client to the Subnet contract the chain settings name. */
public final class ChainClients {

    private ChainClients() {
    }

    public static SubnetChain connect(ChainSettings settings, Credentials key) {
        return Web3jSubnetChain.local(settings.rpcUrl(), settings.contractAddress(), key, ClientOptions.of(settings));
    }
}
