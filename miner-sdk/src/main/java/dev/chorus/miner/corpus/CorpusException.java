package dev.chorus.miner.corpus;

import java.util.List;

/** A corpus file that cannot be used; the message lists every problem with its line number. */
public final class CorpusException extends RuntimeException {

    private final List<String> problems;

    public CorpusException(String source, List<String> problems) {
        super("corpus " + source + " is not usable:\n  " + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
