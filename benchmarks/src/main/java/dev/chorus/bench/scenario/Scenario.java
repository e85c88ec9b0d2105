package dev.chorus.bench.scenario;

import dev.chorus.bench.metrics.MinerTruth;
import dev.chorus.bench.metrics.TruthFile;
import dev.chorus.config.ValidatorConfig;
import dev.chorus.scoring.book.ScoreBook;
import dev.chorus.scoring.book.ScoreBookOptions;
import dev.chorus.scoring.consensus.ConsensusScorer;
import dev.chorus.scoring.consensus.MinerScore;
import dev.chorus.scoring.consensus.Round;
import dev.chorus.scoring.consensus.RoundAnswer;
import dev.chorus.scoring.consensus.RoundScorer;
import dev.chorus.scoring.consensus.RoundScores;
import dev.chorus.scoring.consensus.ScoringOptions;
import dev.chorus.scoring.embedding.EmbeddingModel;
import dev.chorus.validator.state.RoundLog;
import dev.chorus.validator.state.RoundRecord;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Runs a simulated subnet in-process the way validators run it: each validator asks all miners one question per
 * round, scores the answers with the consensus scorer (trust from its own score book), updates its book and
 * appends the round to its round log. The logs and a {@code truth.json} are what a replay reads.
 */
public final class Scenario {

    private static final long ROUND_MS = 12_000;

    private Scenario() {
    }

    /**
     * The recorded run.
     *
     * @param logs  one round log per validator, in validator order
     * @param truth every miner's class and quality, by uid
     */
    public record Recorded(List<Path> logs, Map<Integer, MinerTruth> truth) {
    }

    /**
     * Runs {@code spec} in-process, writing {@code dir/validator-<v>/rounds.jsonl} and {@code dir/truth.json}. The
     * same spec and seed give byte-identical logs.
     */
    public static Recorded run(ScenarioSpec spec, EmbeddingModel model, Path dir) throws IOException {
        return run(spec, model, dir, miners -> new InProcessAnswers(miners, spec.seed()));
    }

    /** As {@link #run(ScenarioSpec, EmbeddingModel, Path)}, asking the miners through {@code transport}. */
    public static Recorded run(ScenarioSpec spec, EmbeddingModel model, Path dir,
                               Function<List<SimulatedMiner>, AnswerSource> transport) throws IOException {
        QaCorpus corpus = QaCorpus.bundled();
        List<SimulatedMiner> miners = SimulatedMiners.population(spec, corpus);
        ValidatorConfig config = ValidatorConfig.defaults();
        RoundScorer scorer = new RoundScorer(model, new ConsensusScorer(
                ScoringOptions.from(config.scoring(), config.rounds().minerTimeout())));
        List<String> hotkeys = new ArrayList<>();
        Map<Integer, MinerTruth> truth = new TreeMap<>();
        for (int uid = 0; uid < miners.size(); uid++) {
            SimulatedMiner m = miners.get(uid);
            hotkeys.add(String.format(Locale.ROOT, "sim-%s-%02d", m.minerClass().label(), uid));
            truth.put(uid, new MinerTruth(uid, m.minerClass().label(), m.quality()));
        }
        List<Path> logs = new ArrayList<>();
        try (AnswerSource source = transport.apply(miners)) {
            for (int v = 0; v < spec.validators(); v++) {
                ScoreBook book = new ScoreBook(ScoreBookOptions.from(config.scoring()));
                book.resync(hotkeys);
                Path validatorDir = dir.resolve("validator-" + v);
                try (RoundLog log = new RoundLog(validatorDir, Long.MAX_VALUE, 1)) {
                    for (int r = 0; r < spec.rounds(); r++) {
                        QaPair question = corpus.get(random(spec.seed(), v, r, -1).nextInt(corpus.size()));
                        log.append(round(r, question, source.ask(v, r, question, book::score), hotkeys, book, scorer));
                    }
                    logs.add(log.file());
                }
            }
        }
        TruthFile.write(dir.resolve(TruthFile.FILE_NAME), truth);
        return new Recorded(logs, truth);
    }

    private static RoundRecord round(int r, QaPair question, List<AnswerSource.Asked> asked, List<String> hotkeys,
                                     ScoreBook book, RoundScorer scorer) {
        List<RoundAnswer> answers = asked.stream().map(AnswerSource.Asked::answer).toList();
        RoundScores scores = scorer.score(new Round(question.question(), answers, question.reference()));
        List<RoundRecord.MinerRecord> records = new ArrayList<>(answers.size());
        for (AnswerSource.Asked reply : asked) {
            RoundAnswer a = reply.answer();
            double reward = scores.forUid(a.uid()).map(MinerScore::reward).orElseThrow();
            records.add(new RoundRecord.MinerRecord(a.uid(), hotkeys.get(a.uid()), a.text(), reply.failure(),
                    reply.detail(), a.latency().toMillis(), a.trust(), reward));
        }
        book.record(scores);
        return new RoundRecord(r + 1, r * ROUND_MS, r, question.id(), question.question(), question.reference(), false,
                records, null);
    }

    /** A random source for one (validator, round, uid), independent of the order things run in. */
    static SplittableRandom random(long seed, int validator, int round, int uid) {
        long mixed = seed;
        mixed = mixed * 0x9E3779B97F4A7C15L + validator;
        mixed = mixed * 0x9E3779B97F4A7C15L + round;
        mixed = mixed * 0x9E3779B97F4A7C15L + uid;
        return new SplittableRandom(mixed);
    }
}
