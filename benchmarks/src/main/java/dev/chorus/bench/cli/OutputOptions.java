package dev.chorus.bench.cli;

import dev.chorus.bench.report.ReplayReport;
import dev.chorus.validator.state.FileProblem;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where results go: a table or JSON on stdout, and files under {@code --out}. */
final class OutputOptions {

    @Option(names = "--json", description = "Print a machine-readable JSON summary on stdout instead of a table.")
    boolean json;

    @Option(names = "--out", paramLabel = "DIR", description = "Write the files listed below, under 'Files with --out', into this folder (made when missing).")
    Path out;

    /**
     * Prints the summary or the table, then writes the files (when {@code --out} is given): a run whose files cannot
     * be written still shows what it measured.
     */
    void emit(CommandLine.Model.CommandSpec spec, FileWriter files, Object summary, String table) throws IOException {
        spec.commandLine().getOut().print(json ? ReplayReport.toJson(summary) : table);
        spec.commandLine().getOut().flush();
        if (out != null) {
            files.write(out);
        }
    }

    /**
     * Makes the {@code --out} folder before the run: one that cannot be written is bad input, found at once rather than
     * after a replay of hours, and a file there would otherwise be refused only then, with the table unprinted.
     */
    void prepareFolder() {
        if (out == null) {
            return;
        }
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new IllegalArgumentException("--out " + out + " is a file; give a folder (it is created when missing)");
        }
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new IllegalArgumentException("--out " + out + " cannot be made: " + FileProblem.describe(e)
                    + "; give a folder this user may write");
        }
        if (!Files.isWritable(out)) {
            throw new IllegalArgumentException("--out " + out + " is not writable by this user; give a folder this user"
                    + " may write");
        }
    }

    /** Writes a result's files into a folder. */
    interface FileWriter {
        void write(Path dir) throws IOException;
    }
}
