package dev.chorus.validator;

import dev.chorus.miner.corpus.QaCorpus;
import dev.chorus.miner.corpus.QaPair;

import java.util.Random;

/**
 * Draws queries uniformly from a Q&amp;A corpus in the miner SDK's JSONL format (the built-in one by default),
 * each with its reference answer.
 */
public final class CorpusQuerySource implements QuerySource {

    private final QaCorpus corpus;
    private final Random random;

    public CorpusQuerySource(QaCorpus corpus, Random random) {
        this.corpus = corpus;
        this.random = random;
    }

    @Override
    public Query next() {
        QaPair pair = corpus.get(random.nextInt(corpus.size()));
        return new Query(pair.id(), pair.question(), pair.answer());
    }
}
