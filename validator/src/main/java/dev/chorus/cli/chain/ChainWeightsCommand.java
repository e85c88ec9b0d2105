package dev.chorus.cli.chain;

import dev.chorus.chain.WeightRow;
import dev.chorus.chain.web3j.Web3jSubnetChain;
import dev.chorus.cli.UserInputException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code chorus chain weights}: the weight rows stored on chain. */
@Command(name = "weights", mixinStandardHelpOptions = true,
        description = "Print the weights each uid has stored on chain (max-upscaled, 65535 = its largest weight).")
public final class ChainWeightsCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ChainTargetOptions target = new ChainTargetOptions();

    @Option(names = "--uid", paramLabel = "UID", description = "Only this uid's row (default: every uid that has set weights).")
    Integer uid;

    public ChainWeightsCommand() {
    }

    @Override
    public Integer call() {
        if (uid != null && uid < 0) {
            throw new UserInputException("--uid " + uid + " is not a uid: uids count from 0 (see `chorus chain status`)");
        }
        PrintWriter out = spec.commandLine().getOut();
        int netuid = target.endpoint().netuid();
        try (Web3jSubnetChain chain = target.connectReadOnly()) {
            int size = chain.subnetInfo(netuid).n();
            if (uid != null && uid >= size) {
                // The contract answers an empty row for a uid that does not exist, which read as "sets no weights".
                throw new UserInputException("--uid " + uid + " is not on subnet " + netuid + ": it has "
                        + (size == 0 ? "no uids yet" : size + " uids (0 to " + (size - 1) + ")") + "; see `chorus chain status`");
            }
            List<WeightRow> rows = uid == null ? chain.weightMatrix(netuid) : List.of(chain.weights(netuid, uid));
            for (WeightRow row : rows) {
                if (uid != null || !row.uids().isEmpty()) {
                    StringBuilder line = new StringBuilder("uid " + row.uid() + ":");
                    for (int i = 0; i < row.uids().size(); i++) {
                        line.append(' ').append(row.uids().get(i)).append('=').append(row.values().get(i));
                    }
                    out.println(line);
                }
            }
        }
        out.flush();
        return 0;
    }
}
