package dev.chorus.bench.replay;

import dev.chorus.scoring.consensus.ConsensusScorer;
import dev.chorus.scoring.consensus.Round;
import dev.chorus.scoring.consensus.RoundScores;
import dev.chorus.scoring.consensus.RoundScorer;
import dev.chorus.scoring.consensus.ScoringOptions;
import dev.chorus.scoring.embedding.EmbeddingModel;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** The scorers the bench knows, by the name given on the command line. */
public enum ScorerName {
    /** The validator's robust consensus scorer: geometric median, calibration, anti-copy, reference blend. */
    CONSENSUS("consensus"),
    /** Baseline: plain cosine to the mean of all answers' embeddings. */
    MEAN_COSINE("mean-cosine"),
    /** Baseline: cosine to the query's reference answer only. */
    REFERENCE("reference");

    private final String cliName;

    ScorerName(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    public static ScorerName parse(String name) {
        for (ScorerName s : values()) {
            if (s.cliName.equals(name.trim())) {
                return s;
            }
        }
        throw new IllegalArgumentException("Unknown scorer '" + name + "'; use one of " + known());
    }

    /** Parses a comma-separated list such as {@code consensus,mean-cosine}. */
    public static List<ScorerName> parseList(String names) {
        List<ScorerName> list = Arrays.stream(names.split(",")).filter(s -> !s.isBlank()).map(ScorerName::parse)
                .distinct().toList();
        if (list.isEmpty()) {
            throw new IllegalArgumentException("No scorer named; give a comma-separated list of " + known());
        }
        return list;
    }

    private static String known() {
        return Arrays.stream(values()).map(ScorerName::cliName).collect(Collectors.joining(", "));
    }

    /** A scorer of this kind; {@code options} configure the consensus scorer and are ignored by the baselines. */
    public BenchScorer create(EmbeddingModel model, ScoringOptions options) {
        return switch (this) {
            case CONSENSUS -> new RobustConsensusScorer(new RoundScorer(model, new ConsensusScorer(options)));
            case MEAN_COSINE, REFERENCE -> new CosineScorer(model, this);
        };
    }

    /** The scorer as the validator runs it, under its command-line name. */
    private record RobustConsensusScorer(RoundScorer scorer) implements BenchScorer {
        @Override
        public String name() {
            return CONSENSUS.cliName;
        }

        @Override
        public RoundScores score(Round round) {
            return scorer.score(round);
        }
    }
}
