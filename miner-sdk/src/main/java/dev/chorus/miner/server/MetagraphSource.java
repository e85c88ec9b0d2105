package dev.chorus.miner.server;

import dev.chorus.chain.Metagraph;
import dev.chorus.chain.SubnetReader;

/**
 * Where the miner learns who may query it. Blocking: the server calls it on a worker thread every
 * refresh interval, and treats an exception as "chain unreachable": it keeps serving from the last metagraph read
 * for {@code metagraph_max_staleness}, then refuses queries with {@link Rejection#METAGRAPH_UNAVAILABLE}.
 */
@FunctionalInterface
public interface MetagraphSource {

    Metagraph fetch() throws Exception;

    /** Reads subnet {@code netuid} from the chain on every refresh. */
    static MetagraphSource fromChain(SubnetReader chain, int netuid) {
        return () -> chain.metagraph(netuid);
    }
}
