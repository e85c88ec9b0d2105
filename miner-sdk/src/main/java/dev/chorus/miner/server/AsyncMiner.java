package dev.chorus.miner.server;

import dev.chorus.miner.protocol.QueryRequest;

import java.util.concurrent.CompletionStage;

/** A miner that never blocks the calling thread: it returns at once and completes the stage later. */
@FunctionalInterface
public interface AsyncMiner {

    /** The answer text, later. The query's deadline is on this host's clock, as for {@link Miner#answer}. */
    CompletionStage<String> answer(QueryRequest query);

    /** The model name to report with each answer, or null to say nothing; throwing fails that query. */
    default String model() {
        return null;
    }
}
