package dev.chorus.bench.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.validator.state.RoundRecord;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the replay turns rounds into rows and epochs where a live validator and the chain would. */
class ReplayTest {

    private static final BenchScorer GOOD_IS_ONE = new GoodIsOne();

    /** Three miners: every one timed out, or uid 0 answered well and the others poorly. */
    private static RoundRecord round(int r, boolean allTimedOut, boolean organic) {
        List<RoundRecord.MinerRecord> miners = new ArrayList<>();
        for (int uid = 0; uid < 3; uid++) {
            miners.add(allTimedOut
                    ? new RoundRecord.MinerRecord(uid, "miner-" + uid, null, "TIMEOUT", null, 12_000, 0, 0)
                    : new RoundRecord.MinerRecord(uid, "miner-" + uid, uid == 0 ? "good" : "poor", null, null, 100, 0,
                            uid == 0 ? 1 : 0));
        }
        return new RoundRecord(r, r * 12_000L, r, "q" + r, "prompt", organic ? null : "reference", organic, miners);
    }

    @Test
    void aValidatorWithNoPositiveScoreSendsNoRowSoTimedOutMinersEarnNothing() {
        List<RoundRecord> log = new ArrayList<>();
        for (int r = 0; r < 10; r++) {
            log.add(round(r, true, false));
        }
        for (int r = 10; r < 20; r++) {
            log.add(round(r, false, false));
        }
        ReplayResult result = Replay.run(List.of(log), GOOD_IS_ONE, ReplaySettings.defaults(1, 10, false));

        assertThat(result.emissionByEpoch()).hasSize(2);
        assertThat(result.emissionByEpoch().get(0)).containsOnly(0.0);
        assertThat(result.emissionByEpoch().get(1)[0]).isEqualTo(1.0);
        assertThat(result.miners().get(1).emissionShare()).isZero();
    }
}
