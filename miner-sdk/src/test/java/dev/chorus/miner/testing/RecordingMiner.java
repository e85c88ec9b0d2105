package dev.chorus.miner.testing;

import dev.chorus.miner.protocol.QueryRequest;
import dev.chorus.miner.server.Miner;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Answers "echo: prompt" and remembers every query that reached it. */
public final class RecordingMiner implements Miner {

    private final List<QueryRequest> calls = new CopyOnWriteArrayList<>();

    @Override
    public String answer(QueryRequest query) {
        calls.add(query);
        return "echo: " + query.prompt();
    }

    @Override
    public String model() {
        return "recording-miner";
    }

    public List<QueryRequest> calls() {
        return calls;
    }
}
