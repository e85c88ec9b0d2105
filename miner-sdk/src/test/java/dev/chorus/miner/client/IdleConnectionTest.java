package dev.chorus.miner.client;

import dev.chorus.config.MinerServerSettings;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class IdleConnectionTest {

    @Test
    void theValidatorDropsAnIdleConnectionBeforeADefaultMinerDoes() {
        assertThat((long) HttpMinerClient.IDLE_CONNECTION_SECONDS)
                .isLessThan(MinerServerSettings.defaults().headerReadTimeout().toSeconds());
    }
}
