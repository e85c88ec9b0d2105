package dev.chorus.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Prints the Chorus version and the runtime it runs on. */
@Command(name = "version", mixinStandardHelpOptions = true, description = "Print the version of Chorus and of the Java runtime.")
final class VersionCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        for (String line : new Provider().getVersion()) {
            spec.commandLine().getOut().println(line);
        }
    }

    static final class Provider extends ProgramVersion {
        Provider() {
            super("chorus", ChorusCommand.class);
        }
    }
}
