package dev.chorus.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OrganicSettingsTest {

    static final String CONTRACT = "0x5FbDB2315678afecb367f032d93F642f64180aa3";

    static ValidatorConfig load(String... pairs) {
        Map<String, String> set = new java.util.HashMap<>(Map.of("chain.contract_address", CONTRACT));
        for (int i = 0; i < pairs.length; i += 2) {
            set.put(pairs[i], pairs[i + 1]);
        }
        return ConfigLoader.load(ValidatorConfig.defaults(), Optional.empty(), Map.of(), set);
    }

    @Test
    void defaultsAreValidAndOff() {
        ValidatorConfig config = load();
        assertThat(config.organic().enabled()).isFalse();
        assertThat(config.organic().apiKeyEnvNames()).containsExactly("CHORUS_API_KEY");
    }

    @Test
    void listsKeyVariableNamesAndRejectsKeysWrittenInPlaceOfNames() {
        ValidatorConfig ok = load("organic.enabled", "true", "organic.api_key_envs", " KEY_ALICE , KEY_BOB,");
        assertThat(ok.organic().apiKeyEnvNames()).containsExactly("KEY_ALICE", "KEY_BOB");
        assertThatThrownBy(() -> load("organic.enabled", "true", "organic.api_key_envs", "sk-12/34",
                "organic.score_weight", "2", "organic.deadline", "40s"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("organic.api_key_envs: 'sk-12/34' is not an environment variable name")
                .hasMessageContaining("organic.score_weight: 2.0 is outside 0.0..1.0")
                .hasMessageContaining("organic.deadline: 40s is longer than max_deadline 30s; raise max_deadline or shorten deadline");
    }

    /**
     * In one process, Vert.x shares a host and port among the servers that listen on it and hands each connection to the
     * next: on admin.port, the organic listener started and every other request to either got the other's 404.
     */
    @Test
    void theOrganicListenerOnTheAdminPortIsRefused() {
        assertThatThrownBy(() -> load("organic.enabled", "true", "organic.port", "9100"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("organic.port: 9100 is admin.port too, and organic.host 127.0.0.1 and admin.host"
                        + " 127.0.0.1 take the same address; set organic.port to a port of its own");
        assertThatThrownBy(() -> load("organic.enabled", "true", "organic.port", "9100", "organic.host", "0.0.0.0"))
                .as("every address includes the admin listener's").hasMessageContaining("organic.port: 9100 is admin.port too");
        assertThat(load("organic.enabled", "true", "organic.port", "9100", "organic.host", "10.0.0.5").organic().port())
                .as("another address of this host").isEqualTo(9100);
        assertThat(load("organic.port", "9100").organic().enabled()).as("organic queries off: no second listener").isFalse();
        assertThat(load("organic.enabled", "true", "organic.port", "0", "admin.port", "0").organic().port())
                .as("port 0 picks a free port for each").isZero();
    }

    /**
     * One address written two ways is one socket: the operating system refuses the second listener ("Address already in
     * use"), once the validator has waited for the chain and loaded the model, and the message blamed another process.
     * localhost is the loopback (127.0.0.1 or ::1, as the resolver has it); 0.0.0.0 and :: take every address.
     */
    @ParameterizedTest
    @CsvSource({"localhost, 127.0.0.1", "127.0.0.1, localhost", "LOCALHOST, ::1", "[::1], localhost",
            "0.0.0.0, 127.0.0.1", "127.0.0.1, ::", ":: , 10.0.0.5", "0.0.0.0, ::", "::1, 0:0:0:0:0:0:0:1",
            "127.0.0.1, 127.000.000.001", "::ffff:127.0.0.1, 127.0.0.1"})
    void theOrganicListenerOnTheAdminListenersAddressWrittenAnotherWayIsRefused(String organicHost, String adminHost) {
        assertThatThrownBy(() -> load("organic.enabled", "true", "organic.port", "9100", "organic.host", organicHost,
                "admin.host", adminHost))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("organic.port: 9100 is admin.port too, and organic.host " + organicHost
                        + " and admin.host " + adminHost + " take the same address");
    }

    /** Another address of this host, on the same port, is a socket of its own; a name is never looked up. */
    @ParameterizedTest
    @CsvSource({"127.0.0.1, 127.0.0.2", "10.0.0.5, 127.0.0.1", "localhost, 10.0.0.5", "validator.lan, 127.0.0.1"})
    void theOrganicListenerOnAnotherAddressMayShareThePort(String organicHost, String adminHost) {
        assertThat(load("organic.enabled", "true", "organic.port", "9100", "organic.host", organicHost,
                "admin.host", adminHost).organic().port()).isEqualTo(9100);
    }

    @Test
    void enabledWithoutKeyNamesIsRejected() {
        assertThatThrownBy(() -> load("organic.enabled", "true", "organic.api_key_envs", " "))
                .isInstanceOf(ConfigException.class).hasMessageContaining("organic.api_key_envs: empty");
    }

    @Test
    void returnsOtherMinersAnswersOnlyWhenTheOperatorTurnsItOn(@TempDir Path dir) throws IOException {
        assertThat(load().organic().returnOthers()).as("default").isFalse();
        assertThat(load("organic.return_others", "true").organic().returnOthers()).as("--set").isTrue();
        Path file = dir.resolve("validator.yaml");
        Files.writeString(file, "chain:\n  contract_address: " + CONTRACT + "\norganic:\n  return_others: true\n");
        assertThat(ConfigLoader.load(ValidatorConfig.defaults(), Optional.of(file), Map.of(), Map.of())
                .organic().returnOthers()).as("file").isTrue();
        assertThat(ConfigLoader.load(ValidatorConfig.defaults(), Optional.of(file),
                Map.of("CHORUS_ORGANIC_RETURN_OTHERS", "false"), Map.of()).organic().returnOthers())
                .as("the environment overrides the file").isFalse();
        assertThatThrownBy(() -> load("organic.return_others", "yes"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("organic.return_others: 'yes' (from --set organic.return_others) is not true or false");
        assertThatThrownBy(() -> ConfigLoader.load(ValidatorConfig.defaults(), Optional.empty(),
                Map.of("CHORUS_ORGANIC_RETURN_OTHERS", "1"), Map.of("chain.contract_address", CONTRACT)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("organic.return_others: '1' (from environment variable CHORUS_ORGANIC_RETURN_OTHERS)"
                        + " is not true or false");
    }
}
