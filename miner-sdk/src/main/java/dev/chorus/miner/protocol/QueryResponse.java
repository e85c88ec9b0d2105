package dev.chorus.miner.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.Optional;

/**
 * A miner's answer to one query. {@code model} and {@code timings} are optional (null when the
 * miner does not say); the SDK fills {@code timings} itself.
 */
@JsonPropertyOrder({"queryId", "answer", "model", "timings"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record QueryResponse(String queryId, String answer, String model, Timings timings) {

    public QueryResponse {
        if (queryId == null || queryId.isBlank()) {
            throw new IllegalArgumentException("invalid response: queryId is missing");
        }
        if (answer == null) {
            throw new IllegalArgumentException("invalid response: answer is missing (send \"\" for no answer)");
        }
    }

    public Optional<String> modelName() {
        return Optional.ofNullable(model);
    }

    public Optional<Timings> reportedTimings() {
        return Optional.ofNullable(timings);
    }

    /** Milliseconds the query waited for a free handler slot and the handler itself ran. */
    @JsonPropertyOrder({"queuedMs", "computeMs"})
    public record Timings(long queuedMs, long computeMs) {

        /**
         * Written as whole milliseconds, read as any number, a missing one as 0: the timings only inform the
         * validator, and a miner that reports {@code 41.7}, or only one of the two, must not lose a correct answer to
         * a strict reader.
         */
        @JsonCreator
        static Timings read(@JsonProperty("queuedMs") Double queuedMs, @JsonProperty("computeMs") Double computeMs) {
            return new Timings(wholeMillis(queuedMs), wholeMillis(computeMs));
        }

        private static long wholeMillis(Double ms) {
            return ms == null ? 0 : Math.round(ms);
        }
    }
}
