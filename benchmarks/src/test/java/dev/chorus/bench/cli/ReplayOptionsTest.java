package dev.chorus.bench.cli;

import dev.chorus.bench.replay.ReplaySettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Which problems of a validator's settings file stop a replay: those of the settings it reads, and the file's own. */
class ReplayOptionsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "scoring.block_size: 0 is outside 2..1000|true",
            "scoring.duplicate_treshold: unknown setting (did you mean duplicate_threshold?)|true",
            "scoring: must be a mapping of settings, found '3'|true",
            "embedding.model: 'fp16' is not one of fp32, int8|true",
            "rounds.miner_timeout: 10500ms is longer than round_deadline 10s|true",
            "rounds: must be a mapping of settings, found 'x'|true",
            "organic.score_weight: 2.0 is outside 0.0..1.0|true",
            "weights.max_weight_limit: 0.0 is outside (0, 1]|true",
            "scorng: unknown setting (did you mean scoring?); known here: scoring, embedding|true",
            "weights.max_weight_limt: unknown setting (did you mean max_weight_limit?); known here: version_key|true",
            "chain.contract_adress: unknown setting (did you mean contract_address?); known here: rpc_url|true",
            "weights.version_key: -1 is below 0|false",
            "file /tmp/v.yaml does not exist or is not a file; pass the path of a YAML or JSON settings file|true",
            "organic.tls_cert_file: /etc/chorus/cert.pem is not a readable file|false",
            "chain.contract_address: not set; set it to the address `chorus chain up` printed|false",
            "chain: must be a mapping of settings, found 'x'|false",
            "key.private_key_env: empty and no keystore_file set|false",
            "rounds.round_deadline: 20s is longer than period 12s; rounds would overlap|false",
    })
    void onlyTheSettingsAReplayReadsAndTheFileItselfMatter(String problem, boolean matters) {
        assertThat(ReplayOptions.matters(problem)).isEqualTo(matters);
    }

    @Test
    void theReplaySubmitsWithTheWeightLimitOfTheValidatorsSettings(@TempDir Path dir) throws Exception {
        ReplayOptions options = new ReplayOptions();
        options.config = Files.writeString(dir.resolve("validator.yaml"), "weights:\n  max_weight_limit: 0.5\n");
        ReplaySettings settings = ReplaySettings.defaults(1, 10, false).withBook(options.validatorConfig());
        assertThat(settings.maxWeightLimit()).isEqualTo(0.5);
    }
}
