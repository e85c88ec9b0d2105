package dev.chorus.cli;

import dev.chorus.chain.yuma.YumaEpoch;
import dev.chorus.chain.yuma.YumaInput;
import dev.chorus.chain.yuma.YumaJson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code chorus yuma}: one Yuma Consensus epoch from JSON in to JSON out, so outside tools can drive it. */
@Command(name = "yuma", mixinStandardHelpOptions = true,
        description = {
            "Run one Yuma Consensus epoch, bit-exact with subtensor's epoch, on a subnet state given as JSON.",
            "Reads the input from stdin (or --in FILE) and prints the output as JSON:",
            "per uid active, validator_permit, stake_weight, consensus, incentive,",
            "dividends, validator_trust (u16), emission, server_emission and",
            "validator_emission (u64), and the bonds stored for the next epoch.",
            "Input fields: README.md, section 'One Yuma epoch from JSON'. An example:",
            "  chain/src/test/resources/dev/chorus/chain/yuma/example-input.json",
            "Bad input exits 2 with a message naming the field."
        })
public final class YumaCommand implements Callable<Integer> {

    @Option(names = "--in", paramLabel = "FILE", description = "Read the epoch input from FILE instead of stdin.")
    Path in;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final InputStream stdin;

    public YumaCommand() {
        this(System.in);
    }

    YumaCommand(InputStream stdin) {
        this.stdin = stdin;
    }

    @Override
    public Integer call() {
        YumaInput input;
        try {
            input = in == null ? YumaJson.readInput(stdin) : readFile(in);
        } catch (IllegalArgumentException | UserInputException e) {
            spec.commandLine().getErr().println("chorus yuma: " + e.getMessage());
            return ChorusCommand.EXIT_USAGE;
        } catch (IOException e) {
            spec.commandLine().getErr().println("chorus yuma: could not read the input: " + e.getMessage());
            return ChorusCommand.EXIT_USAGE;
        }
        spec.commandLine().getOut().println(YumaJson.writeOutput(YumaEpoch.run(input)));
        spec.commandLine().getOut().flush();
        return 0;
    }

    private static YumaInput readFile(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new UserInputException("--in " + file + " is a folder; give the path of an epoch input JSON file");
        }
        try (InputStream stream = Files.newInputStream(file)) {
            return YumaJson.readInput(stream);
        } catch (NoSuchFileException e) {
            throw new UserInputException("--in " + file + ": no such file; give the path of an epoch input JSON file");
        }
    }
}
