package dev.chorus.miner.protocol;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * What a validator asks a miner. On the wire {@code deadline} is unix milliseconds on the validator's clock; the
 * miner measures its budget as {@code deadline - Epistula-Timestamp}, so clock skew between the two
 * hosts does not shorten or stretch it. The query a {@code Miner} handler receives carries that budget as a
 * deadline on the miner host's own clock, so a handler can compare it with {@link System#currentTimeMillis()}.
 */
@JsonPropertyOrder({"version", "queryId", "netuid", "task", "prompt", "deadline"})
public record QueryRequest(int version, String queryId, int netuid, String task, String prompt, long deadline) {

    /** The body version this SDK speaks; a request with another version is refused. */
    public static final int VERSION = 1;

    /** The one task kind defined so far: answer a question in a short paragraph. */
    public static final String TASK_QA = "qa";

    /** The longest {@code queryId} a request may carry. */
    public static final int MAX_QUERY_ID = 128;

    public QueryRequest {
        require(queryId != null && !queryId.isBlank(), "queryId is missing");
        require(queryId.length() <= MAX_QUERY_ID, "queryId is longer than " + MAX_QUERY_ID + " characters");
        require(netuid >= 0 && netuid <= 0xFFFF, "netuid must be 0..65535, got " + netuid);
        require(task != null && task.matches("[a-z][a-z0-9_-]{0,31}"),
                "task must be a short lower-case token such as \"qa\", got " + task);
        require(prompt != null, "prompt is missing");
        require(deadline > 0, "deadline must be unix milliseconds, got " + deadline);
    }

    public static QueryRequest qa(String queryId, int netuid, String prompt, long deadline) {
        return new QueryRequest(VERSION, queryId, netuid, TASK_QA, prompt, deadline);
    }

    /** This query with another deadline, as the miner server hands it to a handler on the miner's own clock. */
    public QueryRequest withDeadline(long newDeadline) {
        return new QueryRequest(version, queryId, netuid, task, prompt, newDeadline);
    }

    private static void require(boolean ok, String problem) {
        if (!ok) {
            throw new IllegalArgumentException("invalid query: " + problem);
        }
    }
}
