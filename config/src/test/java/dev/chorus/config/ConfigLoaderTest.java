package dev.chorus.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ConfigLoaderTest {

    private static final String ADDRESS = "0x5FbDB2315678afecb367f032d93F642f64180aa3";

    @TempDir
    Path dir;

    private Path file(String yaml) throws IOException {
        Path path = dir.resolve("validator.yaml");
        Files.writeString(path, yaml);
        return path;
    }

    private static ValidatorConfig load(Optional<Path> file, Map<String, String> env, Map<String, String> overrides) {
        return ConfigLoader.load(ValidatorConfig.defaults(), file, env, overrides);
    }

    @Test
    void fileOverridesDefaults() throws IOException {
        Path path = file("chain:\n  contract_address: " + ADDRESS + "\n  netuid: 7\nrounds:\n  period: 30s\n");
        ValidatorConfig config = load(Optional.of(path), Map.of(), Map.of());
        assertThat(config.chain().netuid()).isEqualTo(7);
        assertThat(config.rounds().period()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.rounds().sampleSize()).isEqualTo(RoundSettings.defaults().sampleSize());
    }

    static Stream<Arguments> everySetting() {
        return Stream.of(ValidatorConfig.defaults(), MinerConfig.defaults()).flatMap(defaults -> {
            List<Arguments> keys = new ArrayList<>();
            String section = "";
            for (String line : ConfigPrinter.yaml(defaults).split("\n")) {
                if (!line.startsWith(" ")) {
                    section = line.substring(0, line.indexOf(':'));
                } else {
                    keys.add(Arguments.of(defaults.getClass().getSimpleName(), section,
                            line.strip().substring(0, line.strip().indexOf(':'))));
                }
            }
            return keys.stream();
        });
    }

    @ParameterizedTest(name = "{0} {1}.{2}")
    @MethodSource("everySetting")
    void anEmptyValueIsEitherAcceptedOrNamedAsAProblem(String kind, String section, String key) throws IOException {
        String contract = key.equals("contract_address") ? "" : "  contract_address: " + ADDRESS + "\n";
        Path path = file(section.equals("chain") ? "chain:\n" + contract + "  " + key + ":\n"
                : "chain:\n" + contract + section + ":\n  " + key + ":\n");
        try {
            if (kind.equals("MinerConfig")) {
                ConfigLoader.load(MinerConfig.defaults(), Optional.of(path), Map.of(), Map.of());
            } else {
                load(Optional.of(path), Map.of(), Map.of());
            }
        } catch (ConfigException e) {
            assertThat(e.getMessage()).contains(section + "." + key + ": ").doesNotContain("null");
        }
    }

    @Test
    void anEmptyValueForANumberIsAProblemNotASilentDefault() throws IOException {
        Path path = file("chain:\n  contract_address: " + ADDRESS + "\n  netuid:\n");
        assertThatThrownBy(() -> load(Optional.of(path), Map.of(), Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("chain.netuid: empty in").hasMessageContaining("delete the line to keep the default");
    }

    @Test
    void aMisspeltSettingVariableIsReportedAndOtherChorusVariablesAreNot() {
        Map<String, String> env = Map.of(
                "CHORUS_CHAIN_RPCURL", "http://typo:1",
                "CHORUS_PRIVATE_KEY", "0xsecret",
                "CHORUS_ADMIN_TOKEN", "named by admin.token_env",
                "CHORUS_ANVIL", "/opt/anvil");

        ConfigException error = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(
                ValidatorConfig.defaults(), Optional.empty(), new ConfigLoader.Environment(env, Set.of("CHORUS_ANVIL")),
                Map.of("chain.contract_address", ADDRESS)));

        assertThat(error.problems()).containsExactly("environment variable CHORUS_CHAIN_RPCURL: no such setting"
                + " (did you mean CHORUS_CHAIN_RPC_URL?); correct or unset it");
        assertThat(error.getMessage()).doesNotContain("typo").doesNotContain("0xsecret");
    }

    @Test
    void aMisspeltSectionInAVariableIsReportedWithTheSettingItMeant() {
        Map<String, String> env = Map.of("CHORUS_ROUND_PERIOD", "5s", "CHORUS_SCORNG_ABSENT_DECAY", "0.5");

        ConfigLoader.Inspection<ValidatorConfig> inspection = ConfigLoader.inspect(ValidatorConfig.defaults(),
                Optional.empty(), env, Map.of("chain.contract_address", ADDRESS));

        assertThat(inspection.problems()).isPresent();
        assertThat(inspection.problems().get().problems()).containsExactly(
                "environment variable CHORUS_ROUND_PERIOD: no such setting (did you mean CHORUS_ROUNDS_PERIOD?);"
                        + " correct or unset it",
                "environment variable CHORUS_SCORNG_ABSENT_DECAY: no such setting (did you mean"
                        + " CHORUS_SCORING_ABSENT_DECAY?); correct or unset it");
        // --print-config shows what the settings amount to: the misspelt variables changed nothing.
        assertThat(inspection.config().rounds().period()).isEqualTo(RoundSettings.defaults().period());
        assertThat(inspection.config().scoring().absentDecay()).isEqualTo(ScoringSettings.defaults().absentDecay());
    }

    @Test
    void aChorusVariableFarFromAnySettingIsReportedWithHowToKeepIt() {
        ConfigException error = catchThrowableOfType(ConfigException.class, () -> load(Optional.empty(),
                Map.of("CHORUS_ANVIL", "/opt/anvil", "CHORUS_OWNER_HOTKEY", "0xsecret"),
                Map.of("chain.contract_address", ADDRESS)));

        // CHORUS_ANVIL is accepted only where the caller says it reads it (the validator's command line does).
        assertThat(error.problems()).hasSize(2).allSatisfy(problem -> assertThat(problem)
                .contains(": no such setting; correct or unset it (settings are named CHORUS_<SECTION>_<KEY>")
                .contains("must be named by the setting that reads it, e.g. key.private_key_env, or not start with CHORUS_"));
        assertThat(error.problems().get(0)).startsWith("environment variable CHORUS_ANVIL:");
        assertThat(error.problems().get(1)).startsWith("environment variable CHORUS_OWNER_HOTKEY:");
        assertThat(error.getMessage()).doesNotContain("0xsecret").doesNotContain("/opt/anvil");
    }

    @Test
    void variablesThatSettingsNameOrThatAnotherChorusCommandReadsAreNotReported() throws IOException {
        Path path = file("chain:\n  contract_address: " + ADDRESS + "\nkey:\n  private_key_env: CHORUS_VALIDATOR_KEY\n"
                + "organic:\n  api_key_envs: CHORUS_API_KEY_ALICE, CHORUS_API_KEY_BOB\n");
        Map<String, String> env = new HashMap<>();
        // named by this configuration's settings, in the file, the environment and --set
        env.put("CHORUS_VALIDATOR_KEY", "0x1");
        env.put("CHORUS_API_KEY_ALICE", "a");
        env.put("CHORUS_API_KEY_BOB", "b");
        env.put("CHORUS_ADMIN_TOKEN_ENV", "CHORUS_OPS_TOKEN");
        env.put("CHORUS_OPS_TOKEN", "t");
        env.put("CHORUS_SET_PASSWORD", "p");
        // the defaults of those settings, which chorus key, chorus chain and chorus ask read whatever the file says
        env.put("CHORUS_PRIVATE_KEY", "0x2");
        env.put("CHORUS_KEYSTORE_PASSWORD", "p");
        env.put("CHORUS_ADMIN_TOKEN", "t");
        env.put("CHORUS_API_KEY", "k");
        // the miner's settings, from an environment both commands share, and a key its settings name there
        env.put("CHORUS_SERVER_PORT", "8091");
        env.put("CHORUS_MODEL_KIND", "openai");
        env.put("CHORUS_MODEL_API_KEY_ENV", "CHORUS_LLM_KEY");
        env.put("CHORUS_LLM_KEY", "l");
        // variables the program reads for itself, as its caller says
        env.put("CHORUS_ANVIL", "/opt/anvil");
        env.put("CHORUS_LOG_LEVEL", "WARN");

        ConfigLoader.Inspection<ValidatorConfig> inspection = ConfigLoader.inspect(ValidatorConfig.defaults(),
                Optional.of(path), new ConfigLoader.Environment(env, Set.of("CHORUS_ANVIL", "CHORUS_LOG_LEVEL")),
                Map.of("key.keystore_password_env", "CHORUS_SET_PASSWORD"));

        assertThat(inspection.problems()).isEmpty();
        assertThat(inspection.config().admin().tokenEnv()).isEqualTo("CHORUS_OPS_TOKEN");
    }

    @Test
    void theMinerAcceptsTheValidatorsSettingsButNotTheirMisspellings() {
        Map<String, String> env = Map.of("CHORUS_ROUNDS_PERIOD", "5s", "CHORUS_ORGANIC_ENABLED", "true",
                "CHORUS_PRIVATE_KEY", "0x1", "CHORUS_SERVR_PORT", "8091");

        ConfigException error = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(
                MinerConfig.defaults(), Optional.empty(), env, Map.of("chain.contract_address", ADDRESS)));

        assertThat(error.problems()).containsExactly("environment variable CHORUS_SERVR_PORT: no such setting"
                + " (did you mean CHORUS_SERVER_PORT?); correct or unset it");
    }

    @Test
    void environmentOverridesFileAndCommandLineOverridesEnvironment() throws IOException {
        Path path = file("chain:\n  contract_address: " + ADDRESS + "\n  netuid: 7\n  rpc_url: http://file:1\n");
        ValidatorConfig fromEnv = load(Optional.of(path),
                Map.of("CHORUS_CHAIN_NETUID", "8", "CHORUS_CHAIN_RPC_URL", "http://env:2"), Map.of());
        assertThat(fromEnv.chain().netuid()).isEqualTo(8);
        assertThat(fromEnv.chain().rpcUrl()).isEqualTo("http://env:2");

        ValidatorConfig fromFlag = load(Optional.of(path), Map.of("CHORUS_CHAIN_NETUID", "8"), Map.of("chain.netuid", "9"));
        assertThat(fromFlag.chain().netuid()).isEqualTo(9);
        assertThat(fromFlag.chain().rpcUrl()).isEqualTo("http://file:1");
    }

    @Test
    void readsJsonFilesToo() throws IOException {
        Path path = dir.resolve("validator.json");
        Files.writeString(path, "{\"chain\": {\"contract_address\": \"" + ADDRESS + "\", \"netuid\": 3}}");
        assertThat(load(Optional.of(path), Map.of(), Map.of()).chain().netuid()).isEqualTo(3);
    }

    @Test
    void reportsEveryProblemAtOnce() throws IOException {
        Path path = file("""
                chain:
                  contract_address: 0x1234
                  rpc_ulr: http://127.0.0.1:8545
                rounds:
                  period: soon
                """);
        ConfigException error = catchThrowableOfType(ConfigException.class,
                () -> load(Optional.of(path), Map.of(), Map.of()));
        assertThat(error.problems()).hasSize(3);
        assertThat(error.problems()).anySatisfy(p -> assertThat(p).startsWith("chain.rpc_ulr: unknown setting (did you mean rpc_url?)"));
        assertThat(error.problems()).anySatisfy(p -> assertThat(p).startsWith("chain.contract_address: '0x1234' is not a 0x address"));
        assertThat(error.problems()).anySatisfy(p -> assertThat(p).startsWith("rounds.period: 'soon'").contains("not a duration"));
    }

    /** A name cut short is far from the setting in letters, so the suggestion goes by words, when one setting has them. */
    @Test
    void aSettingNamedByPartOfItsWordsIsSuggested() throws IOException {
        Path path = file("chain:\n  contract_address: \"" + ADDRESS + "\"\nscoring:\n  alpha: 0.2\nweights:\n  limit: 0.5\n");
        ConfigException error = catchThrowableOfType(ConfigException.class,
                () -> load(Optional.of(path), Map.of("CHORUS_SCORING_ALPHA", "0.2"), Map.of()));
        assertThat(error.problems()).anySatisfy(p -> assertThat(p)
                        .startsWith("scoring.alpha: unknown setting (did you mean moving_average_alpha?)"))
                .anySatisfy(p -> assertThat(p).startsWith("weights.limit: unknown setting (did you mean max_weight_limit?)"))
                .anySatisfy(p -> assertThat(p).startsWith("environment variable CHORUS_SCORING_ALPHA: no such setting"
                        + " (did you mean CHORUS_SCORING_MOVING_AVERAGE_ALPHA?)"));
    }

    @Test
    void aFileThatIsNotYamlIsTheOnlyProblemReported() throws IOException {
        Path path = file("chain:\n  contract_address: \"" + ADDRESS + "\"\n  netuid: [1\n");
        ConfigException error = catchThrowableOfType(ConfigException.class, () -> load(Optional.of(path), Map.of(), Map.of()));
        assertThat(error.problems()).singleElement().asString().startsWith("file " + path + " is not valid YAML or JSON")
                .contains("line ").doesNotContain("REDACTED");
        ConfigException missing = catchThrowableOfType(ConfigException.class,
                () -> load(Optional.of(path.resolveSibling("nope.yaml")), Map.of(), Map.of()));
        assertThat(missing.problems()).singleElement().asString().contains("does not exist");
    }

    @Test
    void aListWhereAMappingBelongsIsCalledAList() throws IOException {
        ConfigException wholeFile = catchThrowableOfType(ConfigException.class,
                () -> load(Optional.of(file("- chain\n- rounds\n")), Map.of(), Map.of()));
        assertThat(wholeFile.problems()).singleElement().asString().endsWith("must hold a mapping of sections (chain:,"
                + " rounds:, ...), not a list");
        ConfigException section = catchThrowableOfType(ConfigException.class,
                () -> load(Optional.of(file("chain:\n  - netuid: 2\n")), Map.of(), Map.of()));
        assertThat(section.problems()).contains("chain: must be a mapping of settings, found a list");
        ConfigException scalar = catchThrowableOfType(ConfigException.class,
                () -> load(Optional.of(file("chain: 5\n")), Map.of(), Map.of()));
        assertThat(scalar.problems()).contains("chain: must be a mapping of settings, found the single value '5'");
    }

    @ParameterizedTest
    @CsvSource({"http://127.0.0.1:8545", "https://user:secret@node.example.org/v3/KEY", "http://[::1]:8545",
            "http://chain_node:8545", "http://localhost"})
    void everyUsualRpcUrlIsAccepted(String url) {
        assertThat(load(Optional.empty(), Map.of(), Map.of("chain.contract_address", ADDRESS, "chain.rpc_url", url))
                .chain().rpcUrl()).isEqualTo(url);
    }

    @Test
    void aKeyGivenTwiceIsRefusedRatherThanTheFirstDropped() throws IOException {
        Path sections = file("chain:\n  contract_address: \"" + ADDRESS + "\"\nrounds:\n  period: 5s\nchain:\n  netuid: 1\n");
        ConfigException error = catchThrowableOfType(ConfigException.class, () -> load(Optional.of(sections), Map.of(), Map.of()));
        assertThat(error.problems()).singleElement().asString()
                .contains("'chain' appears twice in the same mapping").contains("line 5");
        Path settings = file("chain:\n  contract_address: \"" + ADDRESS + "\"\n  netuid: 1\n  netuid: 3\n");
        assertThat(catchThrowableOfType(ConfigException.class, () -> load(Optional.of(settings), Map.of(), Map.of())).problems())
                .singleElement().asString().contains("'netuid' appears twice");
    }

    @Test
    void validationRunsAfterBindingAndListsAllProblems() throws IOException {
        Path path = file("""
                chain:
                  contract_address: 0x1234
                  netuid: 70000
                rounds:
                  miner_timeout: 20s
                """);
        ConfigException error = catchThrowableOfType(ConfigException.class,
                () -> load(Optional.of(path), Map.of(), Map.of()));
        assertThat(error.problems()).hasSize(3);
        assertThat(error.getMessage()).startsWith("3 problems in the configuration (" + path + "):");
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "chain.rpc_url|ws://x|chain.rpc_url: 'ws://x' is not an http(s) URL",
            "chain.rpc_url|wss://mainnet.example.org/v3/KEY|chain.rpc_url: 'wss://mainnet.example.org/...' is not an http(s) URL",
            "chain.contract_address|0xabc|chain.contract_address: '0xabc' is not a 0x address",
            "chain.contract_address|0x0000000000000000000000000000000000000000|chain.contract_address: the zero address is the example file's placeholder",
            "chain.contract_address|''|chain.contract_address: not set; set it to the address `chorus chain up` printed",
            "chain.netuid|-1|chain.netuid: -1 is outside 0..65535",
            "chain.chain_id|-5|chain.chain_id: -5 is negative",
            "chain.max_retries|50|chain.max_retries: 50 is outside 0..20",
            "chain.max_fee_per_gas_wei|-1|chain.max_fee_per_gas_wei: -1 is negative; use 0 for no ceiling",
            "chain.max_priority_fee_wei|2000000000000|chain.max_priority_fee_wei: 2000000000000 is above max_fee_per_gas_wei (1000000000000)",
            "chain.netuid|seven|chain.netuid: 'seven' (from --set chain.netuid) is not a whole number",
            "key.private_key_env|''|key.private_key_env: empty and no keystore_file set",
            "rounds.sample_size|0|rounds.sample_size: 0 is outside 1..4096",
            "rounds.max_response_bytes|10|rounds.max_response_bytes: 10 is outside",
            "rounds.one_per_ip|maybe|rounds.one_per_ip: 'maybe' (from --set rounds.one_per_ip) is not true or false",
            "embedding.model|fp16|embedding.model: 'fp16' is not one of fp32, int8",
            "embedding.provider|tpu|embedding.provider: 'tpu' is not one of cpu, cuda",
            "embedding.max_tokens|512|embedding.max_tokens: 512 is outside 8..256",
            "embedding.batch_size|0|embedding.batch_size: 0 is outside 1..4096",
            "embedding.long_text|drop|embedding.long_text: 'drop' is not one of chunk, truncate",
            "scoring.moving_average_alpha|1.5|scoring.moving_average_alpha: 1.5 must be above 0 and at most 1",
            "scoring.moving_average_alpha|0|scoring.moving_average_alpha: 0.0 must be above 0 and at most 1 (at 0 no round",
            "weights.max_weight_limit|0|weights.max_weight_limit: 0.0 must be above 0 and at most 1",
            "rounds.period|999999999999999d|rounds.period: '999999999999999d' (from --set rounds.period) is longer than 24d",
            "chain.rpc_timeout|25d|chain.rpc_timeout: '25d' (from --set chain.rpc_timeout) is longer than 24d, the most any",
            "rounds.period|99999999999999999999s|rounds.period: '99999999999999999999s' (from --set rounds.period) is longer than 24d",
            "chain.rpc_url|http://|chain.rpc_url: 'http://' is not an http(s) URL with a host",
            "chain.rpc_url|http://:8545|chain.rpc_url: 'http://:8545' is not an http(s) URL with a host",
            "chain.rpc_url|http://node one:8545|is not an http(s) URL with a host",
            "rounds.sample_size|2147483648|rounds.sample_size: '2147483648' (from --set rounds.sample_size) is too large; no value",
            "weights.version_key|99999999999999999999|weights.version_key: '99999999999999999999' (from --set weights.version_key) is too large",
            "scoring.duplicate_threshold|0.1|scoring.duplicate_threshold: 0.1 is outside 0.5..1.0",
            "scoring.latency_weight|x|scoring.latency_weight: 'x' (from --set scoring.latency_weight) is not a number",
            "weights.max_weight_limit|2|weights.max_weight_limit: 2.0 must be above 0 and at most 1",
            "admin.port|70000|admin.port: 70000 is outside 0..65535",
            "admin.host|''|admin.host: empty",
            "admin.allowed_hosts|http://validator.lan|admin.allowed_hosts: 'http://validator.lan' is not a host name; list names alone",
            "admin.allowed_hosts|localhost, validator.lan:9100|admin.allowed_hosts: 'validator.lan:9100' is not a host name",
            "admin.history_rounds|0|admin.history_rounds: 0 is outside 1..10000",
            "admin.tls_cert_file|/no/such/cert.pem|admin.tls_key_file: empty while tls_cert_file is set; give both PEM files",
            "organic.tls_key_file|/no/such/key.pem|organic.tls_cert_file: empty while tls_key_file is set",
            "state.round_log_keep|0|state.round_log_keep: 0 is outside 1..1000",
            "rounds.colour|red|--set rounds.colour: no such setting",
            "rounds.allow_privte_axons|true|--set rounds.allow_privte_axons: no such setting (did you mean rounds.allow_private_axons?)",
            "scoring.alpha|0.2|--set scoring.alpha: no such setting (did you mean scoring.moving_average_alpha?)",
    })
    void eachValidationErrorSaysWhatIsWrong(String key, String value, String expected) {
        Map<String, String> overrides = new java.util.HashMap<>(Map.of("chain.contract_address", ADDRESS));
        overrides.put(key, value);
        assertThatThrownBy(() -> load(Optional.empty(), Map.of(), overrides))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(expected);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "rounds.miner_timeout|-5s|rounds.miner_timeout: '-5s' (from --set rounds.miner_timeout) is negative; "
                    + "a duration must be positive, e.g. 500ms, 12s or 2m",
            "rounds.period|-PT5S|rounds.period: '-PT5S' (from --set rounds.period) is negative; "
                    + "a duration must be positive, e.g. 500ms, 12s or 2m",
            "rounds.period|-99999999999999999999s|rounds.period: '-99999999999999999999s' (from --set rounds.period) is"
                    + " negative; a duration must be positive, e.g. 500ms, 12s or 2m",
            "rounds.period|-999999999999999d|rounds.period: '-999999999999999d' (from --set rounds.period) is negative;"
                    + " a duration must be positive, e.g. 500ms, 12s or 2m",
            "chain.rpc_timeout|0s|chain.rpc_timeout: 0s must be a positive duration, e.g. 500ms, 12s or 2m",
            // Every user of a duration works in whole milliseconds: 0.5ms would be 0, which OkHttp (chain.rpc_timeout)
            // takes as no timeout at all and Vert.x (server.body_read_timeout) refuses on every query.
            "chain.rpc_timeout|PT0.0005S|chain.rpc_timeout: 0.5ms is shorter than 1ms, the least a duration setting takes;"
                    + " write e.g. 500ms, 12s or 2m",
            "rounds.round_deadline|20s|rounds.round_deadline: 20s is longer than period 12s; rounds would overlap",
            "rounds.period|PT0.5S|rounds.round_deadline: 10s is longer than period 500ms; rounds would overlap",
            "rounds.miner_timeout|10500ms|rounds.miner_timeout: 10500ms is longer than round_deadline 10s; "
                    + "a miner cannot have longer than the round",
    })
    void durationProblemsShowTheUnitsAnOperatorWrites(String key, String value, String expected) {
        Map<String, String> overrides = new java.util.HashMap<>(Map.of("chain.contract_address", ADDRESS));
        overrides.put(key, value);
        ConfigException error = catchThrowableOfType(ConfigException.class,
                () -> load(Optional.empty(), Map.of(), overrides));
        assertThat(error.problems()).containsExactly(expected);
    }

    @Test
    void tlsFilesThatCannotBeReadAreNamed() {
        Map<String, String> overrides = Map.of("chain.contract_address", ADDRESS, "admin.tls_cert_file", "/no/such/cert.pem",
                "admin.tls_key_file", "/no/such/key.pem");
        ConfigException error = catchThrowableOfType(ConfigException.class, () -> load(Optional.empty(), Map.of(), overrides));
        assertThat(error.problems()).containsExactly(
                "admin.tls_cert_file: /no/such/cert.pem is not a readable file; give the PEM certificate (chain) for https",
                "admin.tls_key_file: /no/such/key.pem is not a readable file; give the PEM private key for https");
    }

    @Test
    void missingFileIsAProblemNotAStackTrace() {
        assertThatThrownBy(() -> load(Optional.of(dir.resolve("nope.yaml")), Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("does not exist");
    }

    @Test
    void brokenYamlNamesTheLine() throws IOException {
        Path path = file("chain:\n  netuid: [1,\n");
        assertThatThrownBy(() -> load(Optional.of(path), Map.of(), Map.of()))
                .hasMessageContaining("is not valid YAML or JSON")
                .hasMessageContaining("line");
    }

    @Test
    void printedConfigLoadsBackToTheSameValues() throws IOException {
        ValidatorConfig original = load(Optional.empty(), Map.of(),
                Map.of("chain.contract_address", ADDRESS, "rounds.miner_timeout", "1500ms"));
        Path path = file(ConfigPrinter.yaml(original));
        assertThat(load(Optional.of(path), Map.of(), Map.of())).isEqualTo(original);
    }

    @Test
    void printedWithItsProblemsEachWrongSettingIsMarkedAndTheTextStillLoads() throws IOException {
        ConfigLoader.Inspection<ValidatorConfig> inspection = ConfigLoader.inspect(ValidatorConfig.defaults(),
                Optional.empty(), Map.of(), Map.of("chain.contract_address", ADDRESS, "rounds.period", "fast",
                        "rounds.sample_size", "0"));
        List<String> problems = inspection.problems().orElseThrow().problems();
        String printed = ConfigPrinter.yaml(inspection.config(), problems);

        List<String> marked = printed.lines().filter(line -> line.contains("# <--")).toList();
        assertThat(marked).hasSize(2);
        assertThat(marked.get(0)).startsWith("  period: " + Durations.format(RoundSettings.defaults().period()) + "  # <-- ")
                .as("the default shown, and why").contains("'fast'");
        assertThat(marked.get(1)).startsWith("  sample_size: 0  # <-- rounds.sample_size:");
        assertThat(printed.lines().filter(line -> line.startsWith("  contract_address:")).findFirst().orElseThrow())
                .doesNotContain("#");
        ValidatorConfig reread = ConfigLoader.inspect(ValidatorConfig.defaults(), Optional.of(file(printed)), Map.of(),
                Map.of()).config();
        assertThat(reread).isEqualTo(inspection.config());
        assertThat(ConfigPrinter.yaml(inspection.config())).as("without its problems, nothing is marked")
                .doesNotContain("#");
    }

    @Test
    void aProblemQuotingControlsOrLineSeparatorsStaysInsideItsComment() throws IOException {
        String pasted = "0x12\u001b[0m\u2028rounds: {\u0085x: 1";
        ConfigLoader.Inspection<ValidatorConfig> inspection = ConfigLoader.inspect(ValidatorConfig.defaults(),
                Optional.empty(), Map.of(), Map.of("chain.contract_address", pasted));
        String printed = ConfigPrinter.yaml(inspection.config(), inspection.problems().orElseThrow().problems());

        assertThat(printed.lines().filter(line -> line.contains("# <--")).toList()).singleElement().asString()
                .startsWith("  contract_address: \"0x12").contains("  # <-- chain.contract_address: '0x12?[0m?rounds: {?x: 1'");
        ValidatorConfig reread = ConfigLoader.inspect(ValidatorConfig.defaults(), Optional.of(file(printed)), Map.of(),
                Map.of()).config();
        assertThat(reread).isEqualTo(inspection.config());
    }

    @Test
    void printedStringsStayStringsForAnyYamlReader() throws IOException {
        ValidatorConfig original = load(Optional.empty(), Map.of(), Map.of("chain.contract_address", ADDRESS,
                "admin.allowed_hosts", "localhost,yes", "state.dir", "no"));
        JsonNode printed = new ObjectMapper(new YAMLFactory()).readTree(ConfigPrinter.yaml(original));
        assertThat(printed.at("/chain/contract_address").isTextual()).as(ConfigPrinter.yaml(original)).isTrue();
        assertThat(printed.at("/chain/contract_address").asText()).isEqualTo(ADDRESS);
        assertThat(ConfigPrinter.yaml(original)).contains("contract_address: \"" + ADDRESS + "\"")
                .contains("private_key_env: CHORUS_PRIVATE_KEY");
        assertThat(printed.at("/admin/allowed_hosts").asText()).isEqualTo("localhost,yes");
        assertThat(printed.at("/state/dir").isTextual()).isTrue();
        assertThat(load(Optional.of(file(ConfigPrinter.yaml(original))), Map.of(), Map.of())).isEqualTo(original);
    }

    @Test
    void printedTextWithLineBreaksAndControlsLoadsBackUnchanged() throws IOException {
        String prompt = "Answer briefly.\nCite sources:\n\t- one\r\n\u0007 done\u2028 \uFFFE\uFFFF";
        MinerConfig original = ConfigLoader.load(MinerConfig.defaults(), Optional.empty(), Map.of(),
                Map.of("chain.contract_address", ADDRESS, "model.system_prompt", prompt));
        String printed = ConfigPrinter.yaml(original);
        MinerConfig reloaded = ConfigLoader.load(MinerConfig.defaults(), Optional.of(file(printed)), Map.of(), Map.of());
        assertThat(reloaded.model().systemPrompt()).as(printed).isEqualTo(prompt);
        assertThat(reloaded).isEqualTo(original);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http//127.0.0.1:8000", "https:/models.example.org", "httpx://127.0.0.1:8000", "http://"})
    void anOpenAiEndpointMustBeAnHttpUrlWithAHost(String endpoint) {
        assertThatThrownBy(() -> ConfigLoader.load(MinerConfig.defaults(), Optional.empty(), Map.of(),
                Map.of("chain.contract_address", ADDRESS, "model.kind", "openai", "model.endpoint", endpoint)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("model.endpoint: '" + endpoint + "' is not an http(s) URL");
    }

    @Test
    void minerDefaultsAreValidOnceTheContractIsKnown() {
        MinerConfig config = ConfigLoader.load(MinerConfig.defaults(), Optional.empty(), Map.of(),
                Map.of("chain.contract_address", ADDRESS));
        assertThat(config.server().port()).isEqualTo(8091);
    }
}
