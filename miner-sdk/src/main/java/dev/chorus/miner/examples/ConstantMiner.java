package dev.chorus.miner.examples;

import dev.chorus.miner.protocol.QueryRequest;
import dev.chorus.miner.server.Miner;

/** Gives the same answer to every question: the baseline a consensus scorer must rank low. */
public record ConstantMiner(String answer) implements Miner {

    public ConstantMiner {
        if (answer == null) {
            throw new IllegalArgumentException("a constant miner needs an answer (\"\" is allowed)");
        }
    }

    @Override
    public String answer(QueryRequest query) {
        return answer;
    }

    @Override
    public String model() {
        return "constant";
    }
}
