package dev.chorus.validator;

import dev.chorus.chain.SubnetChain;
import dev.chorus.chain.web3j.ClientOptions;
import dev.chorus.chain.web3j.Web3jSubnetChain;
import dev.chorus.config.ChainSettings;
import dev.chorus.config.RedactedUrl;
import org.web3j.crypto.Credentials;

/** Connects the web3j client to the Subnet contract the chain settings name. */
public final class ChainClients {

    private ChainClients() {
    }

    public static SubnetChain connect(ChainSettings settings, Credentials key) {
        return Web3jSubnetChain.local(settings.rpcUrl(), settings.contractAddress(), key, ClientOptions.of(settings));
    }

    /**
     * What /health/ready and the log say when the node does not answer: where (chain.rpc_url masked, since a provider's
     * key may sit in it), why, and what to check, unless the failure already points at chain.rpc_url itself.
     */
    public static String unreachable(ChainSettings settings, Throwable failure) {
        String why = failure.getMessage() == null ? failure.toString() : failure.getMessage();
        return "chain unreachable at " + RedactedUrl.of(settings.rpcUrl()) + ": " + why
                + (why.contains("chain.rpc_url") ? "" : "; check chain.rpc_url and that the node is running");
    }
}
