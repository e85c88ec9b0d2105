package dev.chorus.validator;

/** One question a round asks, with the reference answer when the query set has one. */
public record Query(String id, String prompt, String reference) {
}
