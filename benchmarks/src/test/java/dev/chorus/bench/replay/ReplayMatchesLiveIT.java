package dev.chorus.bench.replay;

import dev.chorus.config.ValidatorConfig;
import dev.chorus.miner.server.Miner;
import dev.chorus.scoring.book.ScoreBookOptions;
import dev.chorus.scoring.consensus.ScoringOptions;
import dev.chorus.scoring.embedding.EmbeddingOptions;
import dev.chorus.scoring.embedding.OnnxEmbeddingModel;
import dev.chorus.validator.Query;
import dev.chorus.validator.QuerySource;
import dev.chorus.validator.ValidatorService;
import dev.chorus.validator.state.RoundLog;
import dev.chorus.validator.state.RoundRecord;
import dev.chorus.validator.state.StateFile;
import dev.chorus.validator.state.ValidatorState;
import dev.chorus.validator.testing.TestSubnet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static dev.chorus.validator.testing.TestSubnet.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The round log of a live validator (the real service querying real miners over HTTP, scoring with the real model,
 * keeping its book and saving its state) replays to the same rewards, bit for bit, and to the same final book.
 */
class ReplayMatchesLiveIT {

    private static final int ROUNDS = 6;

    /** Question, then three honest answers in different words; the second question has a reference answer. */
    private static final String[][] QA = {
            {"seasons", "Why does Earth have seasons?",
                    "Earth's axis is tilted, so each hemisphere gets more direct sunlight for half the year.",
                    "The tilt of the axis makes sunlight hit each hemisphere more directly in its summer.",
                    "Seasons come from the axial tilt of about 23.5 degrees, not from the distance to the Sun."},
            {"hash-map", "What does a hash map do?",
                    "It stores values under keys and finds them in constant time on average by hashing the key.",
                    "A hash map puts each entry in a bucket chosen by the hash of its key, so lookups are fast.",
                    "Keys are hashed to buckets, which gives average constant-time insertion and lookup."},
            {"vaccines", "How do vaccines work?",
                    "They show the immune system a harmless part of a pathogen so it learns to recognise it.",
                    "A vaccine trains the immune system with a safe piece of a germ, leaving memory cells behind.",
                    "Vaccination exposes the body to an antigen so that later infections are fought off faster."},
    };

    private static final Map<String, String[]> BY_ID = java.util.Arrays.stream(QA).collect(Collectors.toMap(qa -> qa[0], qa -> qa));

    private static final AtomicInteger failingCalls = new AtomicInteger();

    private static final List<Miner> MINERS = List.of(
            q -> BY_ID.get(q.queryId())[2],
            q -> BY_ID.get(q.queryId())[3],
            q -> BY_ID.get(q.queryId())[4],
            q -> BY_ID.get(q.queryId())[2],
            q -> BY_ID.get(q.queryId().equals("seasons") ? "vaccines" : "seasons")[2],
            q -> "",
            q -> {
                if (failingCalls.incrementAndGet() % 2 == 0) {
                    throw new IllegalStateException("model crashed");
                }
                return BY_ID.get(q.queryId())[3];
            });

    private static TestSubnet subnet;
    private static OnnxEmbeddingModel model;

    @BeforeAll
    static void start() throws Exception {
        subnet = TestSubnet.start(1_000, MINERS);
        model = OnnxEmbeddingModel.open(EmbeddingOptions.defaults());
    }

    @AfterAll
    static void stop() throws Exception {
        if (model != null) {
            model.close();
        }
        if (subnet != null) {
            subnet.close();
        }
    }

    @Test
    void replayReproducesTheLiveRewardsAndBookExactly(@TempDir Path state) throws Exception {
        ValidatorConfig config = subnet.validatorConfig(state, Map.of());
        AtomicInteger asked = new AtomicInteger();
        QuerySource queries = () -> {
            String[] qa = QA[asked.getAndIncrement() % QA.length];
            return new Query(qa[0], qa[1], qa[0].equals("hash-map") ? qa[2] : null);
        };
        ValidatorService service = await(ValidatorService.start(subnet.vertx, config,
                subnet.validatorParts(config, subnet.client(subnet.validator), model, queries), "", router -> { }));
        try {
            awaitRounds(state.resolve(RoundLog.FILE_NAME), ROUNDS);
        } finally {
            await(service.stop());
        }

        List<RoundRecord> rounds = RecordedRounds.read(state).rounds();
        assertThat(rounds).hasSizeGreaterThanOrEqualTo(ROUNDS);
        assertThat(rounds).anyMatch(r -> r.reference() != null);
        assertThat(rounds.stream().flatMap(r -> r.miners().stream())).anyMatch(m -> m.failure() != null);
        int answersLogged = rounds.stream().mapToInt(r -> r.miners().size()).sum();
        ScoringOptions scoring = ScoringOptions.from(config.scoring(), config.rounds().minerTimeout());
        ReplaySettings settings = ReplaySettings.defaults(1, 4, false).withBook(ScoreBookOptions.from(config.scoring()));

        ReplayResult replayed = Replay.run(List.of(rounds), ScorerName.CONSENSUS.create(model, scoring), settings);
        assertThat(replayed.check().compared()).isEqualTo(answersLogged);
        assertThat(replayed.check().equal()).isEqualTo(answersLogged);
        assertThat(replayed.miners()).hasSize(MINERS.size());
        assertThat(replayed.miners()).anyMatch(m -> m.meanReward() > 0.3).anyMatch(m -> m.meanReward() == 0);

        ValidatorState saved = new StateFile(state).load(subnet.netuid, subnet.validator.address()).orElseThrow();
        assertThat(saved.round()).isEqualTo(rounds.getLast().round());
        Map<Integer, Double> liveBook = saved.scores().stream()
                .collect(Collectors.toMap(ValidatorState.ScoreEntry::uid, ValidatorState.ScoreEntry::score));
        for (MinerOutcome miner : replayed.miners()) {
            assertThat(miner.finalScore()).as("uid %d's score", miner.uid()).isEqualTo(liveBook.get(miner.uid()));
        }

        ReplayResult logged = Replay.run(List.of(rounds), ScorerName.CONSENSUS.create(model, scoring),
                settings.withTrust(ReplaySettings.Trust.LOGGED));
        assertThat(logged.check().equal()).isEqualTo(answersLogged);

        ReplayResult viaCache = Replay.run(List.of(rounds), ScorerName.CONSENSUS.create(new CachingEmbeddingModel(model), scoring), settings);
        assertThat(viaCache.check().equal()).isEqualTo(answersLogged);
        assertThat(viaCache.miners()).isEqualTo(replayed.miners());
    }

    private static void awaitRounds(Path log, int rounds) throws Exception {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(90).toNanos();
        while (!Files.exists(log) || RoundLog.read(log).rounds().size() < rounds) {
            assertThat(System.nanoTime()).as("%d rounds logged within 90 s", rounds).isLessThan(deadline);
            Thread.sleep(200);
        }
    }
}
