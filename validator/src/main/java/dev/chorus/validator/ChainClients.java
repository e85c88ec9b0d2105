package dev.chorus.validator;

import dev.chorus.chain.SubnetChain;
import dev.chorus.chain.web3j.ClientOptions;
import dev.chorus.chain.web3j.Web3jSubnetChain;
import dev.chorus.config.ChainSettings;
import org.web3j.crypto.Credentials;

import java.util.Optional;
import java.util.OptionalLong;

/** Builds the web3j client from the config module's chain settings. */
public final class ChainClients {

    private ChainClients() {
    }

    public static ClientOptions options(ChainSettings settings) {
        ClientOptions defaults = ClientOptions.defaults();
        return new ClientOptions(settings.chainId() == 0 ? OptionalLong.empty() : OptionalLong.of(settings.chainId()),
                settings.rpcTimeout(), settings.receiptTimeout(), defaults.receiptPoll(), settings.maxRetries() + 1,
                settings.retryBackoff(), Optional.empty(), defaults.gasMarginPercent());
    }

    public static SubnetChain connect(ChainSettings settings, Credentials key) {
        return Web3jSubnetChain.local(settings.rpcUrl(), settings.contractAddress(), key, options(settings));
    }
}
