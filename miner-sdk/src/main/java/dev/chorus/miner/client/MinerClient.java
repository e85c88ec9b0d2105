package dev.chorus.miner.client;

import dev.chorus.chain.Neuron;
import dev.chorus.miner.protocol.QueryRequest;
import io.vertx.core.Future;

/**
 * Asks one miner one question. The returned future always succeeds: a miner's failure (timeout,
 * refusal, bad signature, oversize or malformed answer) is a {@link MinerAnswer.Failed}, not an error.
 */
public interface MinerClient extends AutoCloseable {

    /** Sends {@code query} to the axon of {@code miner}; the query's deadline bounds the whole exchange. */
    Future<MinerAnswer> query(Neuron miner, QueryRequest query);

    @Override
    void close();
}
