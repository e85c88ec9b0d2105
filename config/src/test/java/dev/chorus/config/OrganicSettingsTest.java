package dev.chorus.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
                .hasMessageContaining("organic.port: 9100 is admin.port too, on the same address; give the organic"
                        + " listener a port of its own");
        assertThatThrownBy(() -> load("organic.enabled", "true", "organic.port", "9100", "organic.host", "0.0.0.0"))
                .as("every address includes the admin listener's").hasMessageContaining("organic.port: 9100 is admin.port too");
        assertThat(load("organic.enabled", "true", "organic.port", "9100", "organic.host", "10.0.0.5").organic().port())
                .as("another address of this host").isEqualTo(9100);
        assertThat(load("organic.port", "9100").organic().enabled()).as("organic queries off: no second listener").isFalse();
        assertThat(load("organic.enabled", "true", "organic.port", "0", "admin.port", "0").organic().port())
                .as("port 0 picks a free port for each").isZero();
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
