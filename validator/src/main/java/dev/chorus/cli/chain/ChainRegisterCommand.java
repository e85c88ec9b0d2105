package dev.chorus.cli.chain;

import dev.chorus.chain.web3j.Web3jSubnetChain;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** {@code chorus chain register}: burn-register the signing key as a hotkey. */
@Command(name = "register", mixinStandardHelpOptions = true,
        description = "Burn-register the signing key as its own hotkey on the subnet and print its uid.")
public final class ChainRegisterCommand extends SignedChainCommand {

    public ChainRegisterCommand() {
    }

    @Override
    void send(Web3jSubnetChain chain, int netuid, PrintWriter out) {
        int uid = chain.register(netuid);
        out.println("registered " + chain.signer() + " on subnet " + netuid + " as uid " + uid);
    }
}
