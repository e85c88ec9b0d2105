package dev.chorus.bench.replay;

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
import dev.chorus.scoring.embedding.EmbeddingOptions;
import dev.chorus.scoring.embedding.OnnxEmbeddingModel;
import dev.chorus.validator.state.RoundLog;
import dev.chorus.validator.state.RoundRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A round log written the way the validator writes it (real model, real RoundScorer, trust from the live score
 * book, RoundLog on disk) replays to the same rewards, bit for bit.
 */
class ReplayMatchesLiveIT {

    private static final String[][] QA = {
            {"Why does Earth have seasons?", "Earth's axis is tilted, so each hemisphere gets more direct sunlight for half the year.",
                    "The tilt of the axis makes sunlight hit each hemisphere more directly in its summer.",
                    "Seasons come from the axial tilt of about 23.5 degrees, not from the distance to the Sun."},
            {"What does a hash map do?", "It stores values under keys and finds them in constant time on average by hashing the key.",
                    "A hash map puts each entry in a bucket chosen by the hash of its key, so lookups are fast.",
                    "Keys are hashed to buckets, which gives average constant-time insertion and lookup."},
            {"How do vaccines work?", "They show the immune system a harmless part of a pathogen so it learns to recognise it.",
                    "A vaccine trains the immune system with a safe piece of a germ, leaving memory cells behind.",
                    "Vaccination exposes the body to an antigen so that later infections are fought off faster."},
    };

    private static OnnxEmbeddingModel model;

    @BeforeAll
    static void openModel() {
        model = OnnxEmbeddingModel.open(EmbeddingOptions.defaults());
    }

    @AfterAll
    static void closeModel() {
        model.close();
    }

    @Test
    void replayReproducesTheLiveRewardsExactly(@TempDir Path state) throws Exception {
        ValidatorConfig config = ValidatorConfig.defaults();
        ScoringOptions options = ScoringOptions.from(config.scoring(), config.rounds().minerTimeout());
        RoundScorer live = new RoundScorer(model, new ConsensusScorer(options));
        ScoreBook book = new ScoreBook(ScoreBookOptions.from(config.scoring()));
        List<String> hotkeys = new ArrayList<>();
        for (int uid = 0; uid < 7; uid++) {
            hotkeys.add("hk-" + uid);
        }
        book.resync(hotkeys);
        Random random = new Random(3);
        try (RoundLog log = new RoundLog(state, 1 << 20, 3)) {
            for (int r = 0; r < 12; r++) {
                String[] qa = QA[r % QA.length];
                List<RoundAnswer> answers = new ArrayList<>();
                List<Long> latencies = new ArrayList<>();
                for (int uid = 0; uid < 7; uid++) {
                    long ms = 100 + random.nextInt(2_000);
                    latencies.add(ms);
                    Duration latency = Duration.ofMillis(ms);
                    double trust = book.score(uid);
                    answers.add(switch (uid) {
                        case 0, 1, 2 -> RoundAnswer.answered(uid, qa[1 + (uid + r) % 3], latency, trust);
                        case 3 -> RoundAnswer.answered(uid, qa[1 + r % 3], latency.plusMillis(500), trust);
                        case 4 -> RoundAnswer.answered(uid, QA[(r + 1) % QA.length][1], latency, trust);
                        case 5 -> RoundAnswer.answered(uid, "", latency, trust);
                        default -> r % 2 == 0 ? RoundAnswer.failed(uid, dev.chorus.scoring.consensus.AnswerFailure.TIMEOUT, latency, trust)
                                : RoundAnswer.answered(uid, qa[2], latency, trust);
                    });
                }
                RoundScores scores = live.score(new Round(qa[0], answers, qa[1]));
                List<RoundRecord.MinerRecord> miners = new ArrayList<>();
                for (RoundAnswer a : answers) {
                    double reward = scores.forUid(a.uid()).map(MinerScore::reward).orElseThrow();
                    miners.add(new RoundRecord.MinerRecord(a.uid(), hotkeys.get(a.uid()), a.text(),
                            a.hasAnswer() ? null : "TIMEOUT", a.hasAnswer() ? null : "deadline passed",
                            a.latency().toMillis(), a.trust(), reward));
                }
                book.record(scores);
                log.append(new RoundRecord(r + 1, 1_000L * r, 10L * r, "q" + r % QA.length, qa[0], qa[1], false, miners));
            }
        }
        List<RoundRecord> rounds = RecordedRounds.read(state).rounds();
        assertThat(rounds).hasSize(12);
        ReplaySettings settings = ReplaySettings.defaults(1, 4, false);

        ReplayResult uncached = Replay.run(List.of(rounds), ScorerName.CONSENSUS.create(model, options), settings);
        assertThat(uncached.check().compared()).isEqualTo(12 * 7);
        assertThat(uncached.check().equal()).isEqualTo(uncached.check().compared());
        assertThat(uncached.rewards().get(0)).anyMatch(r -> r > 0.3);

        ReplayResult logged = Replay.run(List.of(rounds), ScorerName.CONSENSUS.create(model, options),
                settings.withTrust(ReplaySettings.Trust.LOGGED));
        assertThat(logged.check().equal()).isEqualTo(logged.check().compared());

        CachingEmbeddingModel cached = new CachingEmbeddingModel(model);
        ReplayResult viaCache = Replay.run(List.of(rounds), ScorerName.CONSENSUS.create(cached, options), settings);
        assertThat(viaCache.check().equal()).isEqualTo(viaCache.check().compared());
        for (int k = 0; k < uncached.miners().size(); k++) {
            assertThat(viaCache.miners().get(k).finalScore()).isEqualTo(uncached.miners().get(k).finalScore());
        }
        assertThat(book.scores()).containsExactly(java.util.Arrays.copyOf(
                uncached.miners().stream().mapToDouble(MinerOutcome::finalScore).toArray(), 7));
    }
}
