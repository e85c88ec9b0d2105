package dev.chorus.config;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MinerServerSettingsTest {

    @Test
    void onLoopbackBindsLoopbackOnAFreePortAndKeepsEveryCheck() {
        MinerServerSettings defaults = MinerServerSettings.defaults();
        MinerServerSettings local = defaults.onLoopback(100);
        assertThat(local.host()).isEqualTo("127.0.0.1");
        assertThat(local.externalHost()).isEqualTo("127.0.0.1");
        assertThat(local.port()).isZero();
        assertThat(local.requestsPerSecond()).isEqualTo(100.0);
        assertThat(local.rateBurst()).isEqualTo(100);
        assertThat(local.requireValidatorPermit()).isEqualTo(defaults.requireValidatorPermit());
        assertThat(local.minValidatorStake()).isEqualTo(defaults.minValidatorStake());
        assertThat(local.timestampWindow()).isEqualTo(defaults.timestampWindow());
        assertThat(local.maxBodyBytes()).isEqualTo(defaults.maxBodyBytes());
        List<String> problems = new ArrayList<>();
        local.validate("miner.", problems);
        assertThat(problems).isEmpty();
    }
}
