package dev.chorus.cli;

import dev.chorus.config.ValidatorConfig;
import dev.chorus.validator.ValidatorLauncher;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** Runs the validator service until SIGTERM or Ctrl-C. */
@Command(name = "validator", mixinStandardHelpOptions = true,
        description = {"Run a validator: query miners, score answers by consensus, write weights on chain about every tempo.",
                "Settings: defaults < --config FILE < CHORUS_* environment variables < --set KEY=VALUE."})
final class ValidatorCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions config = new ConfigOptions();

    @Option(names = "--dry-run", description = "Score miners but never send a weights transaction.")
    boolean dryRun;

    @Option(names = "--print-config", description = "Print the effective settings and exit. Keys and tokens"
            + " are not among them (only the names of the variables holding them), but chain.rpc_url is printed in full.")
    boolean printConfig;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (dryRun) {
            config.overrides.put("weights.dry_run", "true");
        }
        if (printConfig) {
            return config.print(ValidatorConfig.defaults(), spec.commandLine().getOut(), spec.commandLine().getErr());
        }
        ValidatorConfig settings = config.load(ValidatorConfig.defaults());
        try {
            return ValidatorLauncher.run(settings, config.environment);
        } catch (IllegalArgumentException e) {
            throw new UserInputException(e.getMessage(), e);
        }
    }
}
