package dev.chorus.cli.chain;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.chorus.chain.Metagraph;
import dev.chorus.chain.Neuron;
import dev.chorus.chain.web3j.Web3jSubnetChain;
import dev.chorus.config.RedactedUrl;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code chorus chain status}: the metagraph of a subnet as a table (or JSON). */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Print the metagraph of a subnet: one row per uid.")
public final class ChainStatusCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ChainTargetOptions target = new ChainTargetOptions();

    @Option(names = "--json", description = "Print the metagraph as JSON.")
    boolean json;

    public ChainStatusCommand() {
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        ChainEndpoint endpoint = target.endpoint();
        try (Web3jSubnetChain chain = target.connectReadOnly()) {
            Metagraph metagraph = chain.metagraph(endpoint.netuid());
            if (json) {
                out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(metagraph));
            } else {
                printTable(out, endpoint, metagraph, chain.hyperparameters(endpoint.netuid()).tempo());
            }
        }
        out.flush();
        return 0;
    }

    private static void printTable(PrintWriter out, ChainEndpoint endpoint, Metagraph metagraph, int tempo) {
        out.printf(Locale.ROOT, "subnet %d at block %d (tempo %d) on %s, contract %s: %d uids%n", metagraph.netuid(),
                metagraph.block(), tempo, RedactedUrl.of(endpoint.rpcUrl()), endpoint.contract(), metagraph.size());
        String format = "%4s  %-42s  %14s  %-6s  %-6s  %8s  %-22s  %9s  %9s  %9s  %14s%n";
        out.printf(Locale.ROOT, format, "uid", "hotkey", "stake", "permit", "active", "updated", "axon", "consensus",
                "incentive", "dividends", "emission");
        for (Neuron n : metagraph.neurons()) {
            out.printf(Locale.ROOT, format, n.uid(), n.hotkey(), tokens(n.stake()), n.validatorPermit() ? "yes" : "no",
                    n.active() ? "yes" : "no", n.lastUpdate(), n.axon().isServing() ? n.axon().endpoint() : "-",
                    proportion(n.consensus()), proportion(n.incentive()), proportion(n.dividends()), tokens(n.emission()));
        }
    }

    /** Rao shown in whole tokens (1 token = 1e9 rao). */
    static String tokens(BigInteger rao) {
        return new BigDecimal(rao).movePointLeft(9).setScale(4, java.math.RoundingMode.DOWN).toPlainString();
    }

    /** Every rao of it in tokens, as {@code --amount} takes it: the table's four decimals round down. */
    static String exactTokens(BigInteger rao) {
        return new BigDecimal(rao).movePointLeft(9).stripTrailingZeros().toPlainString();
    }

    private static String proportion(int u16) {
        return String.format(Locale.ROOT, "%.4f", u16 / 65535.0);
    }
}
