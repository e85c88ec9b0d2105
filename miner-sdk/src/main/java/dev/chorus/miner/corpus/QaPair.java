package dev.chorus.miner.corpus;

/** One corpus entry: a question and the reference answer a good miner should come close to. */
public record QaPair(String id, String topic, String question, String answer) {
}
