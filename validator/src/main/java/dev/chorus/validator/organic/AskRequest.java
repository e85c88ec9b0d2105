package dev.chorus.validator.organic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chorus.config.OrganicSettings;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * One consumer question, validated against the operator's limits.
 *
 * @param prompt    the question sent to the miners
 * @param maxMiners how many miners to ask
 * @param deadline  how long the miners get to answer
 */
record AskRequest(String prompt, int maxMiners, Duration deadline) {

    private static final Set<String> FIELDS = Set.of("prompt", "max_miners", "deadline_ms");

    /** Reads the body of {@code POST /v1/ask}: {@code {"prompt": "...", "max_miners": 8, "deadline_ms": 5000}}. */
    public static AskRequest fromJson(JsonNode body, OrganicSettings limits) {
        if (body == null || !body.isObject()) {
            throw bad("the body must be a JSON object such as {\"prompt\": \"What is the boiling point of water?\"}");
        }
        List<String> unknown = new ArrayList<>();
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                unknown.add(name);
            }
        }
        if (!unknown.isEmpty()) {
            throw bad("unknown field(s) " + unknown + "; /v1/ask takes prompt, max_miners and deadline_ms");
        }
        JsonNode prompt = body.get("prompt");
        if (prompt == null || !prompt.isTextual()) {
            throw bad("prompt is missing or not a string; send {\"prompt\": \"your question\"}");
        }
        return of(prompt.asText(), optionalInt(body, "max_miners"), optionalInt(body, "deadline_ms"), limits);
    }

    /**
     * Checks a question and its options against the limits; {@code null} options take the operator's defaults.
     *
     * @throws OrganicRefused with {@code BAD_REQUEST} or {@code TOO_LARGE}, saying what to change
     */
    public static AskRequest of(String prompt, Integer maxMiners, Integer deadlineMs, OrganicSettings limits) {
        if (prompt == null || prompt.isBlank()) {
            throw bad("prompt is empty; ask a question");
        }
        if (prompt.length() > limits.maxPromptChars()) {
            throw new OrganicRefused(OrganicRefused.Reason.TOO_LARGE, "prompt has " + prompt.length()
                    + " characters; this validator accepts at most " + limits.maxPromptChars());
        }
        int miners = maxMiners == null ? limits.maxMiners() : maxMiners;
        if (miners < 1 || miners > limits.maxMinersLimit()) {
            throw bad("max_miners is " + miners + "; it must be between 1 and " + limits.maxMinersLimit());
        }
        Duration deadline = deadlineMs == null ? limits.deadline() : Duration.ofMillis(deadlineMs);
        // While organic rounds move scores, a deadline shorter than the operator's would let a consumer time miners out
        // and lower their scores at will.
        Duration shortest = limits.scoreWeight() > 0 ? limits.deadline() : Duration.ofMillis(1);
        if (deadline.compareTo(shortest) < 0 || deadline.compareTo(limits.maxDeadline()) > 0) {
            throw bad("deadline_ms is " + deadline.toMillis() + "; it must be between " + shortest.toMillis() + " and "
                    + limits.maxDeadline().toMillis() + (limits.scoreWeight() > 0 && deadline.compareTo(shortest) < 0
                    ? " (this validator scores organic answers, so no request may give miners less than its organic.deadline)"
                    : ""));
        }
        return new AskRequest(prompt, miners, deadline);
    }

    private static Integer optionalInt(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw bad(field + " must be a whole number, got " + node);
        }
        return node.asInt();
    }

    static OrganicRefused bad(String message) {
        return new OrganicRefused(OrganicRefused.Reason.BAD_REQUEST, message);
    }
}
