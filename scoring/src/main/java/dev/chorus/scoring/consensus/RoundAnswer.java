package dev.chorus.scoring.consensus;

import java.time.Duration;
import java.util.Objects;

/**
 * What one queried miner returned in a round.
 *
 * @param uid     the miner's uid
 * @param text    the answer, or null when {@code failure} is set; an empty text is an answer (it scores 0)
 * @param failure why there is no answer, or null when there is one
 * @param latency time from request to complete answer (or to the failure)
 * @param trust   the miner's weight in the consensus point, in [0, 1]; the validator gives its own current score of the
 *                miner (its score book), so a miner's voice is what this validator has seen of it; out-of-range values
 *                are clamped
 */
public record RoundAnswer(int uid, String text, AnswerFailure failure, Duration latency, double trust) {

    public RoundAnswer {
        if (uid < 0) {
            throw new IllegalArgumentException("uid must be 0 or more, got " + uid);
        }
        if ((text == null) == (failure == null)) {
            throw new IllegalArgumentException("uid " + uid + ": give either an answer text or a failure, not "
                    + (text == null ? "neither" : "both"));
        }
        Objects.requireNonNull(latency, "latency");
    }

    public static RoundAnswer answered(int uid, String text, Duration latency, double trust) {
        return new RoundAnswer(uid, Objects.requireNonNull(text, "text"), null, latency, trust);
    }

    public static RoundAnswer failed(int uid, AnswerFailure failure, Duration latency, double trust) {
        return new RoundAnswer(uid, null, Objects.requireNonNull(failure, "failure"), latency, trust);
    }

    public boolean hasAnswer() {
        return failure == null;
    }
}
