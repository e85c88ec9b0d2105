package dev.chorus.validator;

import dev.chorus.chain.SubnetChain;
import dev.chorus.chain.web3j.ClientOptions;
import dev.chorus.chain.web3j.Web3jSubnetChain;
import dev.chorus.config.ChainSettings;
import dev.chorus.config.RedactedUrl;
import org.web3j.crypto.Credentials;

import java.io.InterruptedIOException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.List;

/** Connects the web3j client to the Subnet contract the chain settings name. */
public final class ChainClients {

    private ChainClients() {
    }

    public static SubnetChain connect(ChainSettings settings, Credentials key) {
        return Web3jSubnetChain.local(settings.rpcUrl(), settings.contractAddress(), key, ClientOptions.of(settings));
    }

    /**
     * What /health/ready and the log say when a chain call failed: where (chain.rpc_url masked, since a provider's key
     * may sit in it) and why. A node that did not answer gets what to check; one that answered (an HTTP error, a wrong
     * contract address, a subnet gone) does not, since its failure says what is wrong.
     */
    public static String chainProblem(ChainSettings settings, Throwable failure) {
        String why = failure.getMessage() == null ? failure.toString() : failure.getMessage();
        String at = RedactedUrl.of(settings.rpcUrl());
        if (!notAnswered(failure)) {
            return "chain call failed at " + at + ": " + why;
        }
        return "chain unreachable at " + at + ": " + why + "; check chain.rpc_url and that the node is running";
    }

    /**
     * Whether the node did not answer: no connection, a connection cut, a name that does not resolve or a timeout
     * somewhere in the failure's causes. An HTTP error status is an answer.
     */
    public static boolean notAnswered(Throwable failure) {
        return CauseChain.contains(failure, List.of(SocketException.class, UnknownHostException.class,
                InterruptedIOException.class));
    }
}
