package dev.chorus.miner.server;

import dev.chorus.miner.protocol.QueryRequest;

/**
 * A miner that answers on a worker thread and may block (call a model, read a file). Only
 * authenticated, admitted queries reach it, and at most {@code maxConcurrency} at a time.
 */
@FunctionalInterface
public interface Miner {

    /**
     * The answer text; throwing is reported to the validator as a miner failure (HTTP 500). The query's deadline is on
     * this host's clock: the time left is {@code query.deadline() - System.currentTimeMillis()}.
     */
    String answer(QueryRequest query) throws Exception;

    /**
     * The model name to report with each answer, or null to say nothing. Asked on the worker thread with each query;
     * throwing fails that query as {@link #answer} throwing does.
     */
    default String model() {
        return null;
    }
}
