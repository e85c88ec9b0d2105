package dev.chorus.miner.examples;

import dev.chorus.miner.corpus.QaCorpus;
import dev.chorus.miner.corpus.QaPair;
import dev.chorus.scoring.embedding.EmbeddingOptions;
import dev.chorus.scoring.embedding.OnnxEmbeddingModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The knowledge-base miner with the real all-MiniLM-L6-v2 model over the shipped corpus. */
class KnowledgeBaseMinerIT {

    private static final QaCorpus CORPUS = QaCorpus.builtIn();
    private static OnnxEmbeddingModel model;
    private static KnowledgeBaseMiner miner;

    @BeforeAll
    static void open() {
        model = OnnxEmbeddingModel.open(EmbeddingOptions.defaults());
        miner = new KnowledgeBaseMiner(CORPUS, model);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void corpusQuestionsEmbeddedOneByOneFindTheirOwnBatchEmbeddedEntry() {
        for (int i = 0; i < CORPUS.size(); i += 5) {
            QaPair pair = CORPUS.get(i);
            assertThat(miner.closest(pair.question()).pair().id()).as(pair.question()).isEqualTo(pair.id());
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "How tall is Mount Everest?|geography-002",
            "Who came up with the World Wide Web, and where?|inventions-003",
            "What makes the daytime sky appear blue?|physics-012",
            "Explain in a sentence how a vaccine protects you|medicine-001",
            "Which ocean is the biggest on the planet?|geography-003",
    })
    void paraphrasedQuestionsFindTheirEntry(String question, String expectedId) {
        KnowledgeBaseMiner.Match match = miner.closest(question);
        assertThat(match.pair().id()).isEqualTo(expectedId);
        assertThat(match.similarity()).isGreaterThan(0.6);
    }
}
