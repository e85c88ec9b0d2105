package dev.chorus.miner.examples;

import dev.chorus.miner.protocol.QueryRequest;
import dev.chorus.miner.server.Miner;

/**
 * Answers with whatever another miner answers to the same question: the answer-copying attack that
 * consensus scoring must not reward. The source is shared in-process, which models a copycat that
 * relays a colluding miner's answers; relaying through another miner's axon would need a validator
 * permit, which the SDK's own checks deny to a miner.
 */
public record CopycatMiner(Miner source) implements Miner {

    @Override
    public String answer(QueryRequest query) throws Exception {
        return source.answer(query);
    }

    @Override
    public String model() {
        return "copycat";
    }
}
