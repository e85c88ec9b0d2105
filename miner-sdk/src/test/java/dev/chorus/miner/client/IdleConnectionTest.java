package dev.chorus.miner.client;

import dev.chorus.config.MinerServerSettings;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class IdleConnectionTest {

    @Test
    void theValidatorDropsAnIdleConnectionBeforeADefaultMinerDoes() {
        assertThat(HttpMinerClient.IDLE_CONNECTION).isLessThan(MinerServerSettings.defaults().headerReadTimeout());
    }
}
