package dev.chorus.validator;

import dev.chorus.config.ValidatorConfig;
import dev.chorus.miner.server.Miner;
import dev.chorus.scoring.embedding.EmbeddingModel;
import dev.chorus.validator.testing.FlatEmbeddingModel;
import dev.chorus.validator.testing.TestSubnet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static dev.chorus.validator.testing.TestSubnet.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The status document (the demo polls it from its own thread, as a dashboard poller would) is read while rounds run
 * back to back and the round history is full, so every round drops its oldest point as it adds one: each document must
 * show a whole history, one point per round in order, never a point half moved or missing.
 */
class StatusWhileRoundsRunIT {

    private static final int HISTORY_ROUNDS = 40;

    /** Constant vectors: this test is about the threads, and a real model would give it a round every 100 ms or so. */
    private static final EmbeddingModel FLAT = new FlatEmbeddingModel();

    @Test
    void statusReadFromAnotherThreadShowsAWholeHistoryWhileRoundsRun(@TempDir Path state) throws Exception {
        Miner answer = q -> "Water boils at 100 degrees Celsius at sea level.";
        try (TestSubnet subnet = TestSubnet.start(100, List.of(answer, answer))) {
            ValidatorConfig config = subnet.validatorConfig(state,
                    Map.of("rounds.period", "1h", "admin.history_rounds", String.valueOf(HISTORY_ROUNDS)));
            ValidatorService service = await(ValidatorService.start(subnet.vertx, config,
                    subnet.validatorParts(config, subnet.client(subnet.validator), FLAT,
                            () -> new Query("boil", "At what temperature does water boil?", null)), "", router -> { }));
            try {
                TestSubnet.runRoundOnceSynced(service);
                AtomicBoolean running = new AtomicBoolean(true);
                ConcurrentLinkedQueue<String> broken = new ConcurrentLinkedQueue<>();
                AtomicLong reads = new AtomicLong();
                Thread reader = Thread.ofPlatform().name("status-reader").start(() -> {
                    while (running.get() && broken.isEmpty()) {
                        try {
                            String problem = historyProblem(await(service.status()));
                            if (problem != null) {
                                broken.add(problem);
                            }
                        } catch (Exception e) {
                            broken.add(e.toString());
                        }
                        reads.incrementAndGet();
                    }
                });
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(25);
                while (System.nanoTime() < until && broken.isEmpty()) {
                    TestSubnet.runRound(service);
                }
                running.set(false);
                reader.join();
                assertThat(service.roundsDone()).as("rounds enough to fill the history").isGreaterThan(3 * HISTORY_ROUNDS);
                assertThat(reads.get()).as("status documents read").isGreaterThan(1000);
                assertThat(broken).as("status documents read while rounds ran").isEmpty();
                assertThat((List<?>) await(service.status()).get("history")).as("the history admin.history_rounds keeps")
                        .hasSize(HISTORY_ROUNDS);
            } finally {
                await(service.stop());
            }
        }
    }

    /** What is wrong with the document's history, or null: its points must be the latest rounds, one each, in order. */
    private static String historyProblem(Map<String, Object> status) {
        List<?> history = (List<?>) status.get("history");
        long previous = -1;
        for (Object point : history) {
            if (!(point instanceof Map<?, ?> map) || !(map.get("round") instanceof Long round)) {
                return "a history point that is not a whole point: " + point;
            }
            if (previous >= 0 && round != previous + 1) {
                return "history rounds out of order: " + previous + " then " + round;
            }
            previous = round;
        }
        return null;
    }
}
