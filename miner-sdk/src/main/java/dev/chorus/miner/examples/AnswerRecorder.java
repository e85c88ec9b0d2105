package dev.chorus.miner.examples;

import dev.chorus.miner.protocol.QueryRequest;
import dev.chorus.miner.server.Miner;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Serves another miner and keeps each answer it gave, by query id, for a {@link CopycatMiner} to repeat. Serve this
 * recorder, not the miner inside it, so that what is kept is what validators were really sent. Only the last
 * {@value #REMEMBERED} query ids are kept: a validator asks every miner of a round within one deadline, so an older
 * answer will not be asked for again.
 */
public final class AnswerRecorder implements Miner {

    /** How many query ids' answers are kept. */
    public static final int REMEMBERED = 1_024;

    private final Miner inner;
    private final Map<String, CompletableFuture<String>> given = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, CompletableFuture<String>> eldest) {
            return size() > REMEMBERED;
        }
    };

    public AnswerRecorder(Miner inner) {
        this.inner = inner;
    }

    @Override
    public String answer(QueryRequest query) throws Exception {
        CompletableFuture<String> slot = slot(query.queryId());
        try {
            String answer = inner.answer(query);
            slot.complete(answer);
            return answer;
        } catch (Exception e) {
            slot.completeExceptionally(e);
            throw e;
        }
    }

    /**
     * What the inner miner gave, or will give, to the query with this id. It completes with the inner miner's failure
     * if that failed; a later answer to the same id does not replace the first.
     */
    public CompletableFuture<String> given(String queryId) {
        return slot(queryId);
    }

    private CompletableFuture<String> slot(String queryId) {
        synchronized (given) {
            return given.computeIfAbsent(queryId, id -> new CompletableFuture<>());
        }
    }

    @Override
    public String model() {
        return inner.model();
    }
}
