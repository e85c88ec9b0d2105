package dev.chorus.miner.examples;

import dev.chorus.miner.corpus.QaCorpus;
import dev.chorus.miner.corpus.QaPair;
import dev.chorus.miner.protocol.QueryRequest;
import dev.chorus.miner.server.Miner;
import dev.chorus.scoring.embedding.CosineSimilarity;
import dev.chorus.scoring.embedding.EmbeddingModel;

import java.util.List;

/**
 * Answers with the reference answer of the corpus question closest to the prompt in embedding
 * space. The corpus questions are embedded once, at construction; each query costs one embedding
 * and one pass of dot products (the model returns unit vectors, so the dot product is the cosine).
 */
public final class KnowledgeBaseMiner implements Miner {

    /** The closest entry and how close it is (cosine similarity). */
    public record Match(QaPair pair, double similarity) {
    }

    private final QaCorpus corpus;
    private final EmbeddingModel model;
    private final List<float[]> questionVectors;

    public KnowledgeBaseMiner(QaCorpus corpus, EmbeddingModel model) {
        this.corpus = corpus;
        this.model = model;
        this.questionVectors = List.copyOf(model.embed(corpus.questions()));
        if (questionVectors.size() != corpus.size()) {
            throw new IllegalStateException("the embedding model returned " + questionVectors.size()
                    + " vectors for " + corpus.size() + " questions");
        }
    }

    @Override
    public String answer(QueryRequest query) {
        return closest(query.prompt()).pair().answer();
    }

    public Match closest(String question) {
        float[] asked = model.embed(List.of(question)).getFirst();
        int best = 0;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < questionVectors.size(); i++) {
            double score = CosineSimilarity.dot(asked, questionVectors.get(i));
            if (score > bestScore) {
                bestScore = score;
                best = i;
            }
        }
        return new Match(corpus.get(best), bestScore);
    }

    @Override
    public String model() {
        return "knowledge-base";
    }
}
