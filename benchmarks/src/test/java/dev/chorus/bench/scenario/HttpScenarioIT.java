package dev.chorus.bench.scenario;

import dev.chorus.bench.replay.CachingEmbeddingModel;
import dev.chorus.bench.replay.RecordedRounds;
import dev.chorus.scoring.embedding.EmbeddingOptions;
import dev.chorus.scoring.embedding.OnnxEmbeddingModel;
import dev.chorus.validator.state.RoundRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A scenario asked through the real protocol (miner-SDK servers on loopback, signed clients) records the same
 * answers as the in-process run of the same seed, none lost, and latencies no shorter than the simulated ones.
 */
class HttpScenarioIT {

    private static final double TIME_SCALE = 0.1;

    @Test
    void answersOverHttpEqualTheInProcessRun(@TempDir Path dir) throws Exception {
        ScenarioSpec spec = new ScenarioSpec(3, 1, 1, 2, 1, 1, 1, 2, 12, 4, 11);
        try (CachingEmbeddingModel model = new CachingEmbeddingModel(OnnxEmbeddingModel.open(EmbeddingOptions.defaults()))) {
            Scenario.Recorded inProcess = Scenario.run(spec, model, dir.resolve("in-process"));
            Scenario.Recorded http = Scenario.run(spec, model, dir.resolve("http"), LoopbackSubnet.transport(
                    QaCorpus.bundled(), spec.seed(), spec.validators(), TIME_SCALE, Duration.ofSeconds(8)));

            for (int v = 0; v < spec.validators(); v++) {
                List<RoundRecord> expected = RecordedRounds.read(inProcess.logs().get(v)).rounds();
                List<RoundRecord> actual = RecordedRounds.read(http.logs().get(v)).rounds();
                assertThat(actual).hasSize(spec.rounds());
                for (int r = 0; r < spec.rounds(); r++) {
                    assertThat(actual.get(r).prompt()).isEqualTo(expected.get(r).prompt());
                    List<RoundRecord.MinerRecord> sent = expected.get(r).miners();
                    List<RoundRecord.MinerRecord> received = actual.get(r).miners();
                    assertThat(received).hasSize(spec.miners());
                    for (int uid = 0; uid < spec.miners(); uid++) {
                        RoundRecord.MinerRecord got = received.get(uid);
                        assertThat(got.failure()).as("validator %d round %d uid %d: %s", v, r, uid, got.detail()).isNull();
                        assertThat(got.answer()).isEqualTo(sent.get(uid).answer());
                        // The miner's timer rounds its delay to whole wall milliseconds: up to half a millisecond,
                        // 5 simulated ones at this scale, less than the simulated latency.
                        assertThat(got.latencyMs()).isGreaterThanOrEqualTo(sent.get(uid).latencyMs() - 6);
                    }
                }
            }
            assertThat(http.truth()).isEqualTo(inProcess.truth());
        }
    }
}
