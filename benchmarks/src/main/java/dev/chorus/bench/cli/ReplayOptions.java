package dev.chorus.bench.cli;

import dev.chorus.bench.replay.ReplaySettings;
import dev.chorus.config.ConfigException;
import dev.chorus.config.ConfigLoader;
import dev.chorus.config.ValidatorConfig;
import dev.chorus.scoring.consensus.ScoringOptions;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How recorded rounds become emissions: the validator's settings, Yuma flavour, validators, tempo, stakes, trust. */
final class ReplayOptions {

    /**
     * The settings a replay reads. Problems elsewhere (a contract address not yet set, no key, TLS files readable only
     * on the validator's host) must not stop a researcher's file, nor a live validator's copied off its host.
     */
    private static final List<String> READ_SETTINGS = List.of("scoring", "embedding", "rounds.miner_timeout",
            "organic.score_weight", "weights.max_weight_limit");
    /** A problem that names a setting ({@code scoring.block_size: ...}); the others are about the file as a whole. */
    private static final Pattern SETTING_PROBLEM = Pattern.compile("([a-z_]+(?:\\.[a-z_]+)*): .*", Pattern.DOTALL);

    @Option(names = "--config", paramLabel = "FILE",
            description = "A validator's settings file (YAML/JSON): its scoring, score-book, embedding and weight-limit"
                    + " settings are used, so a live validator's rewards are reproduced exactly; a file with a scoring section alone"
                    + " will do (default: a fresh validator's defaults).")
    Path config;

    // The defaults are not the deployed chain's: the published figures were measured with them.
    @Option(names = "--yuma", defaultValue = "classic", paramLabel = "classic|yuma3",
            description = "Bond model of the Yuma epoch (default: ${DEFAULT-VALUE}; the subnet `chorus chain up` deploys"
                    + " runs yuma3: give --yuma yuma3 to match it, and --reveal-epochs 1 as well for `chain up"
                    + " --commit-reveal`).")
    String yuma;

    @Option(names = "--validators", paramLabel = "N",
            description = "Validators replaying: one log given N times over, or N logs (default: one per log).")
    Integer validators;

    @Option(names = "--tempo", defaultValue = "10", paramLabel = "ROUNDS",
            description = "Synthetic rounds per validator between weight submissions, each followed by an epoch; organic"
                    + " rounds do not count (default: ${DEFAULT-VALUE}).")
    int tempo;

    @Option(names = "--stakes", split = ",", paramLabel = "STAKE",
            description = "Stake of each validator, comma-separated, one per replaying validator in --rounds order (default:"
                    + " 1000000 each).")
    List<Long> stakes;

    @Option(names = "--trust", defaultValue = "book", paramLabel = "book|logged",
            description = "Trust handed to the scorer: the replay's own score book, or what the live validator logged"
                    + " (reproduces its rewards even after it restored a saved book). Default: ${DEFAULT-VALUE}.")
    String trust;

    @Option(names = "--weight-copier", defaultValue = "0", paramLabel = "STAKE",
            description = "Add a validator with this stake that scores nothing and copies the others' weights from the"
                    + " chain (the weight-copying attack); its yield against theirs is in the table. Default: none.")
    long copierStake;

    @Option(names = "--reveal-epochs", defaultValue = "0", paramLabel = "K",
            description = "Commit-reveal with a reveal period of K epochs: rows count K epochs after they are committed"
                    + " and a copier sees only revealed ones (default: ${DEFAULT-VALUE}, commit-reveal off, as on the subnet"
                    + " `chorus chain up` deploys; with `chain up --commit-reveal` it reveals after 1 epoch).")
    int revealEpochs;

    boolean yuma3() {
        return yuma3(yuma);
    }

    /** Reads {@code --yuma}: whether the epoch keeps Yuma3 bonds rather than classic ones. */
    static boolean yuma3(String yuma) {
        return switch (yuma) {
            case "classic" -> false;
            case "yuma3" -> true;
            default -> throw new IllegalArgumentException("--yuma is '" + yuma + "'; use classic or yuma3");
        };
    }

    /** The settings for {@code logs} given logs; a single log is repeated to fill {@code --validators}. */
    ReplaySettings settings(int logs) {
        int count = validators == null ? logs : validators;
        if (count < 1) {
            throw new IllegalArgumentException("--validators is " + count + "; give at least 1");
        }
        if (logs > 1 && count != logs) {
            throw new IllegalArgumentException("--validators is " + count + " but " + logs
                    + " logs were given; give one log per validator, or one log to be replayed by every validator");
        }
        if (stakes != null && stakes.size() != count) {
            throw new IllegalArgumentException("--stakes names " + stakes.size()
                    + (stakes.size() == 1 ? " stake for " : " stakes for ") + count
                    + (count == 1 ? " validator" : " validators") + "; give one per validator");
        }
        ReplaySettings.Trust source = switch (trust) {
            case "book" -> ReplaySettings.Trust.BOOK;
            case "logged" -> ReplaySettings.Trust.LOGGED;
            default -> throw new IllegalArgumentException("--trust is '" + trust + "'; use book or logged");
        };
        ReplaySettings settings = ReplaySettings.defaults(count, tempo, yuma3()).withTrust(source)
                .withWeightCopying(copierStake, revealEpochs);
        return stakes == null ? settings : settings.withStakes(stakes);
    }

    /** The settings a validator ran with, read the way the validator reads them, or the defaults. */
    ValidatorConfig validatorConfig() {
        if (config == null) {
            return ValidatorConfig.defaults();
        }
        ConfigLoader.Inspection<ValidatorConfig> read = ConfigLoader.inspect(ValidatorConfig.defaults(),
                Optional.of(config), Map.of(), Map.of());
        if (read.problems().isPresent()) {
            List<String> relevant = read.problems().get().problems().stream().filter(ReplayOptions::matters).toList();
            if (!relevant.isEmpty()) {
                throw new ConfigException(config.toString(), relevant);
            }
        }
        return read.config();
    }

    /**
     * Whether a problem of the settings file stops the replay. An unknown setting always does, wherever it is: it may
     * be a misspelt read setting ({@code scorng:}), which would otherwise be replaced by its default unnoticed.
     */
    static boolean matters(String problem) {
        Matcher setting = SETTING_PROBLEM.matcher(problem);
        if (!setting.matches() || problem.startsWith(setting.group(1) + ": unknown setting")) {
            return true;
        }
        String path = setting.group(1);
        return READ_SETTINGS.stream().anyMatch(read -> path.equals(read) || path.startsWith(read + ".")
                || read.startsWith(path + "."));
    }

    /** The validator's scoring options with the default config, as a fresh validator runs them. */
    static ScoringOptions scoringOptions() {
        return scoringOptions(ValidatorConfig.defaults());
    }

    static ScoringOptions scoringOptions(ValidatorConfig config) {
        return ScoringOptions.from(config.scoring(), config.rounds().minerTimeout());
    }

    /** The logs, with a single log repeated once per validator. */
    static <T> List<T> perValidator(List<T> logs, ReplaySettings settings) {
        return logs.size() == 1 ? new ArrayList<>(Collections.nCopies(settings.validators(), logs.get(0))) : logs;
    }
}
