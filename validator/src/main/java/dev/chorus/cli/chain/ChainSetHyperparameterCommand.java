package dev.chorus.cli.chain;

import dev.chorus.chain.Hyperparameters;
import dev.chorus.chain.TransactionRejected;
import dev.chorus.chain.web3j.Web3jSubnetChain;
import dev.chorus.cli.UserInputException;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code chorus chain set-hyperparameter NAME VALUE}: the subnet owner changes one setting. */
@Command(name = "set-hyperparameter", mixinStandardHelpOptions = true,
        description = "As the subnet owner, change one hyperparameter (e.g. tempo 20). Without arguments, list the current values.")
public final class ChainSetHyperparameterCommand extends SignedChainCommand {

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "Hyperparameter name, as listed without arguments.")
    String name;

    @Parameters(index = "1", arity = "0..1", paramLabel = "VALUE", description = "New value: a whole number, or true/false; burn, emissionPerEpoch and stakeThreshold in rao (1 token = 1e9 rao).")
    String value;

    public ChainSetHyperparameterCommand() {
    }

    @Override
    public Integer call() {
        if (name == null) {
            PrintWriter out = spec.commandLine().getOut();
            try (Web3jSubnetChain chain = target.connectReadOnly()) {
                for (Map.Entry<String, Object> entry : chain.hyperparameters(target.endpoint().netuid()).asMap().entrySet()) {
                    out.printf("%-22s %s%n", entry.getKey(), shown(entry.getKey(), entry.getValue()));
                }
            }
            out.flush();
            return 0;
        }
        if (value == null) {
            throw new UserInputException("set-hyperparameter " + name + " needs a VALUE, e.g. `chorus chain set-hyperparameter tempo 20`");
        }
        return super.call();
    }

    /**
     * A value as the owner reads it: amounts with their unit, rao, and in tokens, since {@code chain stake --amount}
     * counts tokens and a bare 1000 would pass for 1000 of them.
     */
    private static String shown(String field, Object value) {
        if (!Hyperparameters.inRao(field)) {
            return String.valueOf(value);
        }
        String tokens = ChainStatusCommand.exactTokens(BigInteger.valueOf((Long) value));
        return value + " rao (" + tokens + (tokens.equals("1") ? " token)" : " tokens)");
    }

    @Override
    void send(Web3jSubnetChain chain, int netuid, PrintWriter out) {
        Hyperparameters changed;
        try {
            changed = chain.hyperparameters(netuid).with(name, value);
        } catch (IllegalArgumentException e) {
            throw new UserInputException(e.getMessage(), e);
        }
        try {
            chain.setHyperparameters(netuid, changed);
        } catch (TransactionRejected rejected) {
            if (!rejected.errorName().equals("NotSubnetOwner")) {
                throw rejected;
            }
            throw new UserInputException("only the owner of subnet " + netuid + ", " + chain.subnetInfo(netuid).owner()
                    + ", may change its hyperparameters, and the key given signs as " + chain.signer() + "; sign with"
                    + " the owner's key (on a local chain, the dev key `chorus chain up` marks as the subnet owner)", rejected);
        }
        // As the listing names it: the name given may be in snake case, which asMap does not key.
        String field = Hyperparameters.fieldName(name).orElseThrow();
        out.println("subnet " + netuid + ": " + field + " = " + shown(field, changed.asMap().get(field)));
        if (changed.tempo() == 0) {
            out.println("tempo 0: the subnet's epoch no longer runs, so no emission is paid until the tempo is set above 0 again");
        }
    }
}
