package dev.chorus.cli.chain;

import dev.chorus.chain.ChainException;
import dev.chorus.chain.ChainReceipt;
import dev.chorus.chain.Hyperparameters;
import dev.chorus.chain.Neuron;
import dev.chorus.chain.TransactionRejected;
import dev.chorus.chain.web3j.Web3jSubnetChain;
import dev.chorus.cli.UserInputException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.OptionalInt;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code chorus chain stake}: add stake and grant the permits it wins, or remove stake. */
@Command(name = "stake", mixinStandardHelpOptions = true,
        description = {"Stake the signer's funds on a hotkey, or withdraw them with --remove.",
                "Staking grants at once the validator permits the stake wins; a permit is kept until the subnet's",
                "next epoch after a withdrawal."})
public final class ChainStakeCommand extends SignedChainCommand {

    @Option(names = "--amount", required = true, paramLabel = "TOKENS", converter = Tokens.class,
            description = "Amount in tokens (1 token = 1e9 rao), e.g. 2.5.")
    BigDecimal amount;

    /** Reads {@code --amount} as a decimal number, saying so when it is not one (picocli's own text names Java types). */
    static final class Tokens implements CommandLine.ITypeConverter<BigDecimal> {
        @Override
        public BigDecimal convert(String value) {
            try {
                return new BigDecimal(value.strip());
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not an amount of tokens: give a decimal"
                        + " number such as 1000 or 2.5");
            }
        }
    }

    @Option(names = "--hotkey", paramLabel = "ADDRESS", description = "Hotkey to stake on (default: the signer itself).")
    String hotkey;

    @Option(names = "--remove", description = "Withdraw the signer's stake from the hotkey instead.")
    boolean remove;

    public ChainStakeCommand() {
    }

    @Override
    public Integer call() {
        toRao(amount); // a bad amount or hotkey is a usage error before anything touches the chain
        if (hotkey != null) {
            ChainTargetOptions.requireAddress("--hotkey", hotkey, "give the hotkey's 0x address, or leave --hotkey out to"
                    + " stake on the signer");
        }
        return super.call();
    }

    @Override
    void send(Web3jSubnetChain chain, int netuid, PrintWriter out) {
        BigInteger rao = toRao(amount);
        String on = hotkey == null ? chain.signer() : hotkey;
        ChainReceipt receipt = remove ? withdraw(chain, netuid, on, rao) : chain.addStake(netuid, on, rao);
        out.println((remove ? "removed " : "staked ") + amount.toPlainString() + " tokens (" + rao + " rao) "
                + (remove ? "from " : "on ") + on + " on subnet " + netuid + " (tx " + receipt.txHash() + ")");
        out.flush();
        if (remove) {
            // Permits are only granted between epochs: a refresh could not take this one away, so it is not sent.
            out.println("validator permits change at the subnet's next epoch (`chorus chain epoch`), which takes a"
                    + " permit from stake that no longer ranks");
            return;
        }
        try {
            chain.updateValidatorPermits(netuid);
        } catch (ChainException notRefreshed) {
            // The stake has landed: reported as a failed command, it would be staked again. The epoch recomputes the
            // permits anyway, so this is a delay, not a loss.
            PrintWriter err = spec.commandLine().getErr();
            err.println("warning: the stake is applied (tx " + receipt.txHash()
                    + "), but the validator permits were not refreshed: " + notRefreshed.getMessage()
                    + "; do not run `chorus chain stake` again for this: the subnet's next epoch refreshes the permits");
            err.flush();
            return;
        }
        out.println("validator permits granted to current stake");
        out.println(permitLine(chain, netuid, on));
    }

    /**
     * {@code chain status} shows a hotkey's stake from every coldkey, while a coldkey takes back only its own: the
     * contract's refusal names neither amount, which the user needs to withdraw what is there.
     */
    private static ChainReceipt withdraw(Web3jSubnetChain chain, int netuid, String hotkey, BigInteger rao) {
        try {
            return chain.removeStake(netuid, hotkey, rao);
        } catch (TransactionRejected rejected) {
            if (!rejected.errorName().equals("NotEnoughStakeToWithdraw")) {
                throw rejected;
            }
            BigInteger own = chain.stake(netuid, hotkey, chain.signer());
            throw new ChainException(rejected.getMessage() + ": --remove takes back only the signer's own stake, and "
                    + chain.signer() + " has " + ChainStatusCommand.exactTokens(own) + " tokens (" + own + " rao) staked on "
                    + hotkey + ", of the hotkey's " + ChainStatusCommand.exactTokens(chain.totalStake(netuid, hotkey))
                    + " tokens; give --amount at most that, signed by the key that staked", rejected);
        }
    }

    /** Staking is usually done to win a permit; whether it did is what the operator wants to know next. */
    private static String permitLine(Web3jSubnetChain chain, int netuid, String hotkey) {
        OptionalInt uid = chain.uidOf(netuid, hotkey);
        if (uid.isEmpty()) {
            return hotkey + " is not registered on subnet " + netuid + ", so it holds no validator permit; register it"
                    + " with `chorus chain register`";
        }
        Neuron neuron = chain.metagraph(netuid).neurons().get(uid.getAsInt());
        if (neuron.validatorPermit()) {
            return "uid " + uid.getAsInt() + " holds a validator permit";
        }
        Hyperparameters subnet = chain.hyperparameters(netuid);
        return "uid " + uid.getAsInt() + " holds no validator permit: the permits go to the " + subnet.maxAllowedValidators()
                + " largest stakes on the subnet, each at least the stake threshold (" + subnet.stakeThreshold() + " rao);"
                + " stake more to win one";
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
