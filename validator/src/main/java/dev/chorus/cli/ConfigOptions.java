package dev.chorus.cli;

import dev.chorus.chain.local.LocalChain;
import dev.chorus.config.ConfigException;
import dev.chorus.config.ConfigLoader;
import dev.chorus.config.ConfigPrinter;
import dev.chorus.config.Settings;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The options every long-running command shares: a settings file and {@code --set} overrides. */
final class ConfigOptions {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "YAML or JSON settings file.")
    Path file;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override one setting by dotted path, e.g. --set chain.netuid=2 (wins over the file and CHORUS_* variables).")
    Map<String, String> overrides = new LinkedHashMap<>();

    /**
     * {@code CHORUS_*} variables that chorus reads although no setting names them. The config module reports every
     * other {@code CHORUS_*} name that is no setting as a misspelt one, and cannot know these: bin/chorus exports
     * {@code CHORUS_ANVIL} for every command when the chain module's Anvil is installed.
     */
    static final Set<String> NOT_SETTINGS = Set.of(
            LocalChain.ANVIL_ENV,   // the local chain's Anvil executable
            "CHORUS_LOG_LEVEL");    // the root log level, read by logback.xml

    /** Where the CHORUS_* settings are read; tests substitute their own. */
    Map<String, String> environment = System.getenv();

    <T extends Record & Settings> T load(T defaults) {
        return ConfigLoader.load(defaults, Optional.ofNullable(file), settingsEnvironment(), overrides);
    }

    private ConfigLoader.Environment settingsEnvironment() {
        return new ConfigLoader.Environment(environment, NOT_SETTINGS);
    }

    /**
     * {@code --print-config}: the effective settings on stdout (they hold no key, only variable names) even when some
     * are wrong, so an operator sees the defaults and what each layer changed; the problems then follow on stderr with
     * exit code 2.
     */
    <T extends Record & Settings> int print(T defaults, PrintWriter out, PrintWriter err) {
        ConfigLoader.Inspection<T> inspection = ConfigLoader.inspect(defaults, Optional.ofNullable(file), settingsEnvironment(),
                overrides);
        out.print(ConfigPrinter.yaml(inspection.config(),
                inspection.problems().map(ConfigException::problems).orElse(List.of())));
        out.flush();
        if (inspection.problems().isEmpty()) {
            return 0;
        }
        err.println(inspection.problems().get().getMessage());
        err.flush();
        return ChorusCommand.EXIT_USAGE;
    }
}
