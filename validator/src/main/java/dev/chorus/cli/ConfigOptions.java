package dev.chorus.cli;

import dev.chorus.config.ConfigLoader;
import dev.chorus.config.ConfigPrinter;
import dev.chorus.config.Settings;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The options every long-running command shares: a settings file and {@code --set} overrides. */
final class ConfigOptions {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "YAML or JSON settings file.")
    Path file;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override one setting by dotted path, e.g. --set chain.netuid=2 (wins over the file and CHORUS_* variables).")
    Map<String, String> overrides = new LinkedHashMap<>();

    <T extends Record & Settings> T load(T defaults) {
        return ConfigLoader.load(defaults, Optional.ofNullable(file), System.getenv(), overrides);
    }

    /**
     * {@code --print-config}: the effective settings on stdout (they hold no key, only variable names) even when some
     * are wrong, so an operator sees the defaults and what each layer changed; the problems then follow on stderr with
     * exit code 2.
     */
    <T extends Record & Settings> int print(T defaults, PrintWriter out, PrintWriter err) {
        ConfigLoader.Inspection<T> inspection = ConfigLoader.inspect(defaults, Optional.ofNullable(file), System.getenv(),
                overrides);
        out.print(ConfigPrinter.yaml(inspection.config()));
        out.flush();
        if (inspection.problems().isEmpty()) {
            return 0;
        }
        err.println(inspection.problems().get().getMessage());
        err.flush();
        return ChorusCommand.EXIT_USAGE;
    }
}
