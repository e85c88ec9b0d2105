package dev.chorus.bench.load;

import dev.chorus.miner.protocol.QueryRequest;
import dev.chorus.miner.server.AsyncMiner;
import io.vertx.core.Vertx;

import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * An {@link AsyncMiner} that follows a {@link LatencyScript} on Vert.x timers, holding no thread while it
 * "thinks". A hang completes only {@code hangMs} later, after the server has already answered the deadline.
 */
final class ScriptedMiner implements AsyncMiner {

    private final Vertx vertx;
    private final LatencyScript script;
    private final Random random;
    private final long hangMs;
    private final Function<QueryRequest, String> answers;

    ScriptedMiner(Vertx vertx, LatencyScript script, long seed, long hangMs, Function<QueryRequest, String> answers) {
        this.vertx = vertx;
        this.script = script;
        this.random = new Random(seed);
        this.hangMs = hangMs;
        this.answers = answers;
    }

    @Override
    public CompletionStage<String> answer(QueryRequest query) {
        LatencyScript.Step step;
        synchronized (random) {
            step = script.next(random);
        }
        CompletableFuture<String> answer = new CompletableFuture<>();
        switch (step) {
            case LatencyScript.Error e -> answer.completeExceptionally(new IllegalStateException("scripted failure"));
            case LatencyScript.Hang h -> vertx.setTimer(hangMs, id -> answer.complete(answers.apply(query)));
            case LatencyScript.Answer a when a.delayMs() < 1 -> answer.complete(answers.apply(query));
            case LatencyScript.Answer a -> vertx.setTimer(a.delayMs(), id -> answer.complete(answers.apply(query)));
        }
        return answer;
    }

    @Override
    public String model() {
        return "scripted";
    }
}
