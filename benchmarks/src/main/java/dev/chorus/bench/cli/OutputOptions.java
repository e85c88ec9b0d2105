package dev.chorus.bench.cli;

import dev.chorus.bench.report.ReplayReport;
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
        requireFolder();
        spec.commandLine().getOut().print(json ? ReplayReport.toJson(summary) : table);
        spec.commandLine().getOut().flush();
        if (out != null) {
            files.write(out);
        }
    }

    /** Refuses an {@code --out} that is a file, as bad input, before a run writes anything under it. */
    void requireFolder() {
        if (out != null && Files.exists(out) && !Files.isDirectory(out)) {
            throw new IllegalArgumentException("--out " + out + " is a file; give a folder (it is created when missing)");
        }
    }

    /** Writes a result's files into a folder. */
    interface FileWriter {
        void write(Path dir) throws IOException;
    }
}
