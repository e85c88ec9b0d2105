package dev.chorus.cli.chain;

import dev.chorus.chain.TransactionRejected;
import dev.chorus.chain.web3j.Web3jSubnetChain;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** {@code chorus chain register}: burn-register the signing key as a hotkey. */
@Command(name = "register", mixinStandardHelpOptions = true,
        description = "Burn-register the signing key as its own hotkey on the subnet and print its uid.")
public final class ChainRegisterCommand extends SignedChainCommand {

    public ChainRegisterCommand() {
    }

    /**
     * A key that already has a uid is the outcome the user wanted, so it succeeds as {@code miner --register} does.
     * The chain's refusal comes from the gas estimate, before anything is sent, so asking first would save nothing.
     */
    @Override
    void send(Web3jSubnetChain chain, int netuid, PrintWriter out) {
        try {
            int uid = chain.register(netuid);
            out.println("registered " + chain.signer() + " on subnet " + netuid + " as uid " + uid);
        } catch (TransactionRejected rejected) {
            if (!rejected.errorName().equals("HotKeyAlreadyRegisteredInSubNet")) {
                throw rejected;
            }
            int uid = chain.uidOf(netuid, chain.signer()).orElseThrow(() -> rejected);
            out.println("already registered " + chain.signer() + " on subnet " + netuid + " as uid " + uid);
        }
    }
}
