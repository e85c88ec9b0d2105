package dev.chorus.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class MinerServerSettingsTest {

    private static final String ADDRESS = "0x5FbDB2315678afecb367f032d93F642f64180aa3";

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
        assertThat(local.maxSignatureChecks()).isEqualTo(defaults.maxSignatureChecks());
        assertThat(local.maxConnections()).isEqualTo(defaults.maxConnections());
        assertThat(local.maxConnectionsPerNetwork()).as("every local validator connects from 127.0.0.1")
                .isEqualTo(defaults.maxConnections());
        List<String> problems = new ArrayList<>();
        local.validate("miner.", problems);
        assertThat(problems).isEmpty();
    }

    @Test
    void signatureCheckLimitIsReadByItsKeyAndMustLeaveRoomForOne() {
        MinerConfig tuned = ConfigLoader.load(MinerConfig.defaults(), Optional.empty(),
                Map.of("CHORUS_SERVER_MAX_SIGNATURE_CHECKS", "32"), Map.of("chain.contract_address", ADDRESS));
        assertThat(tuned.server().maxSignatureChecks()).isEqualTo(32);

        List<String> none = problemsWith("server.max_signature_checks", "0");
        assertThat(none).containsExactly("server.max_signature_checks: 0 is outside 1..1000000");
    }

    @Test
    void signatureThreadsDefaultToHalfTheCoresAndAreReadByTheirKey() {
        MinerServerSettings defaults = MinerServerSettings.defaults();
        assertThat(defaults.signatureThreads(16)).isEqualTo(8);
        assertThat(defaults.signatureThreads(1)).isEqualTo(1);
        MinerConfig tuned = ConfigLoader.load(MinerConfig.defaults(), Optional.empty(), Map.of(),
                Map.of("chain.contract_address", ADDRESS, "server.signature_threads", "3"));
        assertThat(tuned.server().signatureThreads(16)).isEqualTo(3);
        assertThat(tuned.server().onLoopback(10).signatureThreads()).isEqualTo(3);

        List<String> negative = problemsWith("server.signature_threads", "-1");
        assertThat(negative).containsExactly("server.signature_threads: -1 is outside 0..1024");
    }

    @Test
    void connectionLimitIsReadByItsKeyAndMustAllowOne() {
        MinerConfig tuned = ConfigLoader.load(MinerConfig.defaults(), Optional.empty(), Map.of(),
                Map.of("chain.contract_address", ADDRESS, "server.max_connections", "64"));
        assertThat(tuned.server().maxConnections()).isEqualTo(64);

        List<String> none = problemsWith("server.max_connections", "0");
        assertThat(none).containsExactly("server.max_connections: 0 is outside 1..1000000");
    }

    @Test
    void perNetworkConnectionLimitIsReadByItsKeyAndMustAllowOne() {
        MinerConfig tuned = ConfigLoader.load(MinerConfig.defaults(), Optional.empty(),
                Map.of("CHORUS_SERVER_MAX_CONNECTIONS_PER_NETWORK", "4"), Map.of("chain.contract_address", ADDRESS));
        assertThat(tuned.server().maxConnectionsPerNetwork()).isEqualTo(4);

        List<String> none = problemsWith("server.max_connections_per_network", "0");
        assertThat(none).containsExactly("server.max_connections_per_network: 0 is outside 1..1000000");
    }

    @Test
    void headerReadTimeoutIsReadByItsKeyAndMustBePositive() {
        MinerConfig tuned = ConfigLoader.load(MinerConfig.defaults(), Optional.empty(), Map.of(),
                Map.of("chain.contract_address", ADDRESS, "server.header_read_timeout", "5s"));
        assertThat(tuned.server().headerReadTimeout()).isEqualTo(Duration.ofSeconds(5));

        List<String> none = problemsWith("server.header_read_timeout", "0s");
        assertThat(none).singleElement().asString()
                .startsWith("server.header_read_timeout: ").contains("must be a positive duration");
    }

    @Test
    void externalHostMustBeAnIpLiteralSoNoFeeIsPaidForAnAxonTheChainCannotStore() {
        for (String host : new String[]{"127.0.0.1", "203.0.113.7", "::1", "2001:db8::7", "::ffff:192.0.2.1"}) {
            MinerConfig accepted = ConfigLoader.load(MinerConfig.defaults(), Optional.empty(), Map.of(),
                    Map.of("chain.contract_address", ADDRESS, "server.external_host", host));
            assertThat(accepted.server().externalHost()).isEqualTo(host);
        }
        for (String host : new String[]{"localhost", "miner.example.org", "256.1.1.1", "1.2.3", "fe80::1::2"}) {
            List<String> refused = problemsWith("server.external_host", host);
            assertThat(refused).as(host).singleElement().asString()
                    .startsWith("server.external_host: '" + host + "' is not an IP address")
                    .contains("127.0.0.1 on a local chain");
        }
    }

    @Test
    void externalHostMustBeAnAddressValidatorsCanReachNotTheAnyAddressAServerListensOn() {
        // An axon at 0.0.0.0 or :: is stored as ip 0, which the metagraph reads as no axon at all: validators skip the
        // miner, and each --register announces it again.
        for (String host : new String[]{"0.0.0.0", "::", "0:0:0:0:0:0:0:0"}) {
            List<String> refused = problemsWith("server.external_host", host);
            assertThat(refused).as(host).singleElement().asString()
                    .startsWith("server.external_host: '" + host + "' is the any address")
                    .contains("server.host");
        }
    }

    @Test
    void aDurationBelowAMillisecondIsRefusedRatherThanTakenAsZero() {
        List<String> refused = problemsWith("server.body_read_timeout", "PT0.0009S");
        assertThat(refused).containsExactly("server.body_read_timeout: 0.9ms is shorter than 1ms, the least"
                + " a duration setting takes; write e.g. 500ms, 12s or 2m");
    }

    /** The problems of a miner config whose only setting besides the contract is {@code key}: {@code value}. */
    private static List<String> problemsWith(String key, String value) {
        ConfigException refused = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(
                MinerConfig.defaults(), Optional.empty(), Map.of(), Map.of("chain.contract_address", ADDRESS, key, value)));
        assertThat(refused).as("%s: %s refused", key, value).isNotNull();
        return refused.problems();
    }
}
