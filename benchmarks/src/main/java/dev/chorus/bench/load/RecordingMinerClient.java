package dev.chorus.bench.load;

import dev.chorus.chain.Neuron;
import dev.chorus.miner.client.MinerAnswer;
import dev.chorus.miner.client.MinerClient;
import dev.chorus.miner.protocol.QueryRequest;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Keeps every answer the wrapped client returns, until {@link #drain()} hands them over (one round's worth). */
final class RecordingMinerClient implements MinerClient {

    private final MinerClient client;
    private final Queue<MinerAnswer> answers = new ConcurrentLinkedQueue<>();

    RecordingMinerClient(MinerClient client) {
        this.client = client;
    }

    @Override
    public Future<MinerAnswer> query(Neuron miner, QueryRequest query) {
        return client.query(miner, query).onSuccess(answers::add);
    }

    List<MinerAnswer> drain() {
        List<MinerAnswer> out = new ArrayList<>();
        for (MinerAnswer a = answers.poll(); a != null; a = answers.poll()) {
            out.add(a);
        }
        return out;
    }

    @Override
    public void close() {
        client.close();
    }
}
