package dev.chorus.miner.examples;

import dev.chorus.miner.protocol.QueryRequest;
import dev.chorus.miner.server.Miner;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Answers with the very answer another miner gave to the same query: the answer-copying attack that consensus
 * scoring must not reward. A validator sends one query id to every miner of a round, so the copy is looked up by
 * that id in the source's {@link AnswerRecorder}, waiting until the query's deadline for the source to answer.
 * Asking the source again would not do: a miner with any randomness (a sampled model, a {@link NoisyMiner}) gives a
 * fresh answer, which is not a copy.
 *
 * <p>Serve the recorder as the original miner and this as the copycat, in one process, which models a copycat that
 * relays a colluding miner's answers; relaying through another miner's axon would need a validator permit, which the
 * SDK's own checks deny to a miner:
 * <pre>{@code
 * AnswerRecorder original = new AnswerRecorder(miner);
 * Miner copycat = new CopycatMiner(original);
 * }</pre>
 * The copycat fails a query if the source failed it, or did not answer it before its deadline.
 */
public record CopycatMiner(AnswerRecorder source) implements Miner {

    @Override
    public String answer(QueryRequest query) throws Exception {
        long left = query.deadline() - System.currentTimeMillis();
        try {
            return source.given(query.queryId()).get(Math.max(0, left), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the copied miner failed query " + query.queryId(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the copied miner gave no answer to query " + query.queryId()
                    + " before its deadline", e);
        }
    }

    @Override
    public String model() {
        return "copycat";
    }
}
