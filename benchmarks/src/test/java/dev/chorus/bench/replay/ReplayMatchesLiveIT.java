package dev.chorus.bench.replay;

import dev.chorus.config.ValidatorConfig;
import dev.chorus.miner.protocol.QueryRequest;
import dev.chorus.miner.server.Miner;
import dev.chorus.scoring.consensus.ScoringOptions;
import dev.chorus.scoring.embedding.EmbeddingOptions;
import dev.chorus.scoring.embedding.OnnxEmbeddingModel;
import dev.chorus.validator.Query;
import dev.chorus.validator.QuerySource;
import dev.chorus.validator.ValidatorService;
import dev.chorus.validator.state.RoundRecord;
import dev.chorus.validator.state.StateFile;
import dev.chorus.validator.state.ValidatorState;
import dev.chorus.validator.testing.TestSubnet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static dev.chorus.validator.testing.TestSubnet.await;
import static dev.chorus.validator.testing.TestSubnet.runRound;
import static dev.chorus.validator.testing.TestSubnet.runRoundOnceSynced;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The round log of a live validator (the real service querying real miners over HTTP, synthetic rounds and
 * consumers' organic queries, scoring with the real model, keeping its book and saving its state) replays to the same
 * rewards, bit for bit, and to the same final book.
 */
class ReplayMatchesLiveIT {

    private static final int SYNTHETIC_ROUNDS = 5;

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

    private static final Map<String, String[]> BY_PROMPT = Arrays.stream(QA).collect(Collectors.toMap(qa -> qa[1], qa -> qa));

    private static final AtomicInteger failingCalls = new AtomicInteger();

    private static final List<Miner> MINERS = List.of(
            q -> qa(q)[2],
            q -> qa(q)[3],
            q -> qa(q)[4],
            q -> qa(q)[2],
            q -> (qa(q) == QA[0] ? QA[2] : QA[0])[2],
            q -> "",
            q -> {
                if (failingCalls.incrementAndGet() % 2 == 0) {
                    throw new IllegalStateException("model crashed");
                }
                return qa(q)[3];
            });

    private static final String API_KEY = "replay-it-key-0123456789abcdef01234567";
    private static final HttpClient http = HttpClient.newHttpClient();

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

    private static String[] qa(QueryRequest query) {
        return BY_PROMPT.get(query.prompt());
    }

    @Test
    void replayReproducesTheLiveRewardsAndBookExactly(@TempDir Path state) throws Exception {
        // Rounds run one at a time, synthetic and organic in turn, so the log's order is the order the book saw.
        ValidatorConfig config = subnet.validatorConfig(state, Map.of("rounds.period", "1h",
                "organic.enabled", "true", "organic.port", "0", "organic.api_key_envs", "REPLAY_IT_KEY",
                "organic.store_prompts", "true", "organic.score_weight", "0.5", "organic.scoring_share", "1.0"));
        AtomicInteger asked = new AtomicInteger();
        QuerySource queries = () -> {
            String[] qa = QA[asked.getAndIncrement() % QA.length];
            return new Query(qa[0], qa[1], qa[0].equals("hash-map") ? qa[2] : null);
        };
        ValidatorService service = await(ValidatorService.start(subnet.vertx, config,
                subnet.validatorParts(config, subnet.client(subnet.validator), model, queries), "", router -> { },
                Map.of("REPLAY_IT_KEY", API_KEY)));
        try {
            runRoundOnceSynced(service);
            runRound(service);
            ask(service, QA[1][1]);
            runRound(service);
            ask(service, QA[0][1]);
            runRound(service);
            runRound(service);
        } finally {
            await(service.stop());
        }

        List<RoundRecord> rounds = RecordedRounds.read(state).rounds();
        assertThat(rounds).hasSize(SYNTHETIC_ROUNDS + 2);
        assertThat(rounds).filteredOn(RoundRecord::organic).hasSize(2);
        assertThat(rounds).anyMatch(r -> r.reference() != null);
        assertThat(rounds.stream().flatMap(r -> r.miners().stream())).anyMatch(m -> m.failure() != null);
        int answersLogged = rounds.stream().mapToInt(r -> r.miners().size()).sum();
        ScoringOptions scoring = ScoringOptions.from(config.scoring(), config.rounds().minerTimeout());
        ReplaySettings settings = ReplaySettings.defaults(1, 4, false).withBook(config);

        ReplayResult replayed = Replay.run(List.of(rounds), ScorerName.CONSENSUS.create(model, scoring), settings);
        assertThat(replayed.check().compared()).isEqualTo(answersLogged);
        assertThat(replayed.check().equal()).isEqualTo(answersLogged);
        assertThat(replayed.miners()).hasSize(MINERS.size());
        assertThat(replayed.miners()).anyMatch(m -> m.meanReward() > 0.3).anyMatch(m -> m.meanReward() == 0);

        ValidatorState saved = new StateFile(state).load(subnet.netuid, subnet.validator.address()).orElseThrow();
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

        List<RoundRecord> promptsNotStored = rounds.stream().map(r -> !r.organic() ? r : new RoundRecord(r.round(), r.timestampMs(),
                r.block(), r.queryId(), "", r.reference(), true, r.miners(), r.metagraph())).toList();
        int organicAnswers = rounds.stream().filter(RoundRecord::organic).mapToInt(r -> r.miners().size()).sum();
        ReplayResult withoutPrompts = Replay.run(List.of(promptsNotStored), ScorerName.CONSENSUS.create(model, scoring), settings);
        assertThat(withoutPrompts.check().promptNotLogged()).isEqualTo(organicAnswers);
        assertThat(withoutPrompts.check().compared()).isEqualTo(answersLogged - organicAnswers);
        assertThat(withoutPrompts.check().equal()).isEqualTo(withoutPrompts.check().compared());
        assertThat(withoutPrompts.miners()).as("the logged rewards of the rounds without a prompt keep the book exact")
                .isEqualTo(replayed.miners());
    }

    private static void ask(ValidatorService service, String prompt) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.organicPort() + "/v1/ask"))
                .header("Authorization", "Bearer " + API_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\": \"" + prompt + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }
}
