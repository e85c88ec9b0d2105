package dev.chorus.cli.chain;

import dev.chorus.chain.ChainReceipt;
import dev.chorus.chain.web3j.Web3jSubnetChain;
import dev.chorus.cli.UserInputException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code chorus chain stake}: add or remove stake, then refresh validator permits. */
@Command(name = "stake", mixinStandardHelpOptions = true,
        description = "Stake the signer's funds on a hotkey (or withdraw with --remove), then refresh the subnet's validator permits.")
public final class ChainStakeCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ChainTargetOptions target = new ChainTargetOptions();

    @Mixin
    KeyOptions key = new KeyOptions();

    @Option(names = "--amount", required = true, paramLabel = "TOKENS", description = "Amount in tokens (1 token = 1e9 rao), e.g. 2.5.")
    BigDecimal amount;

    @Option(names = "--hotkey", paramLabel = "ADDRESS", description = "Hotkey to stake on (default: the signer itself).")
    String hotkey;

    @Option(names = "--remove", description = "Withdraw the signer's stake from the hotkey instead.")
    boolean remove;

    public ChainStakeCommand() {
    }

    @Override
    public Integer call() {
        BigInteger rao = toRao(amount);
        int netuid = target.endpoint().netuid();
        try (Web3jSubnetChain chain = target.connect(key.credentials())) {
            String on = hotkey == null ? chain.signer() : hotkey;
            ChainReceipt receipt = remove ? chain.removeStake(netuid, on, rao) : chain.addStake(netuid, on, rao);
            chain.updateValidatorPermits(netuid);
            spec.commandLine().getOut().println((remove ? "removed " : "staked ") + amount.toPlainString() + " tokens ("
                    + rao + " rao) " + (remove ? "from " : "on ") + on + " on subnet " + netuid + " (tx " + receipt.txHash()
                    + "); validator permits refreshed");
        }
        return 0;
    }

    static BigInteger toRao(BigDecimal tokens) {
        BigDecimal rao = tokens.movePointRight(9);
        if (rao.signum() <= 0 || rao.stripTrailingZeros().scale() > 0) {
            throw new UserInputException("--amount " + tokens.toPlainString()
                    + " must be positive with at most 9 decimals (1 rao = 0.000000001 token)");
        }
        return rao.toBigIntegerExact();
    }
}
