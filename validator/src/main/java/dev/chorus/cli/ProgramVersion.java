package dev.chorus.cli;

import picocli.CommandLine;

/**
 * The version lines of a Chorus launcher: the version its jar's manifest carries (from the Maven build) and the Java
 * runtime, which is what a bug report needs first.
 */
public class ProgramVersion implements CommandLine.IVersionProvider {

    private final String program;
    private final Class<?> packagedWith;

    /** @param packagedWith a class from the launcher's jar, whose manifest holds the version */
    public ProgramVersion(String program, Class<?> packagedWith) {
        this.program = program;
        this.packagedWith = packagedWith;
    }

    @Override
    public String[] getVersion() {
        String version = packagedWith.getPackage().getImplementationVersion();
        return new String[] {
                program + " " + (version == null ? "development build" : version),
                "java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"
        };
    }
}
