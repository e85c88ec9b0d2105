package dev.chorus.miner.scored;

import dev.chorus.miner.client.MinerAnswer;
import dev.chorus.scoring.consensus.AnswerFailure;
import dev.chorus.scoring.consensus.RoundAnswer;

import java.time.Duration;

/**
 * What a validator's scorer sees of a miner's answer. Kept apart from the wire packages ({@code protocol}, {@code server},
 * {@code client}), which know nothing of scoring, so that a miner that excludes the {@code scoring} module (ONNX Runtime
 * and the embedding model) still serves.
 */
public final class RoundAnswers {

    private RoundAnswers() {
    }

    /**
     * {@code answer} as a round's answer, given the validator's {@code trust} in the miner. Latency is cut to whole
     * milliseconds, as the validator's round log records it, so a replay of the log scores the same.
     */
    public static RoundAnswer of(MinerAnswer answer, double trust) {
        Duration scored = Duration.ofMillis(answer.latency().toMillis());
        return switch (answer) {
            case MinerAnswer.Ok ok -> RoundAnswer.answered(ok.uid(), ok.answer(), scored, trust);
            case MinerAnswer.Failed failed -> RoundAnswer.failed(failed.uid(), failureOf(failed.failure()), scored, trust);
        };
    }

    /** The scorer's kind of a failure; replays of a validator's round log map logged failures through it too. */
    public static AnswerFailure failureOf(MinerAnswer.Failure failure) {
        return switch (failure) {
            case TIMEOUT -> AnswerFailure.TIMEOUT;
            case NOT_SERVING, REFUSED, CONNECTION_LOST -> AnswerFailure.UNREACHABLE;
            case OVERSIZE -> AnswerFailure.OVERSIZED;
            case HTTP_STATUS, BAD_SIGNATURE, MALFORMED -> AnswerFailure.INVALID_RESPONSE;
        };
    }
}
