package dev.chorus.miner.server;

import dev.chorus.chain.Metagraph;

/**
 * Where the miner learns who may query it. Blocking: the server calls it on a worker thread every
 * refresh interval, and treats an exception as "chain unreachable" (see {@link MetagraphCache}).
 */
@FunctionalInterface
public interface MetagraphSource {

    Metagraph fetch() throws Exception;
}
