package dev.chorus.bench.replay;

import dev.chorus.validator.state.RoundLog;
import dev.chorus.validator.state.RoundRecord;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One validator's recorded rounds, read from a round log file or from a state folder holding {@code rounds.jsonl}
 * and its rotated files (oldest first).
 *
 * @param source       what was read
 * @param rounds       the rounds, oldest first
 * @param skippedLines damaged lines skipped
 */
public record RecordedRounds(Path source, List<RoundRecord> rounds, int skippedLines) {

    public RecordedRounds {
        rounds = List.copyOf(rounds);
    }

    public static RecordedRounds read(Path source) throws IOException {
        if (!Files.exists(source)) {
            throw new IllegalArgumentException("Round log " + source + " does not exist; give a rounds.jsonl file or the"
                    + " validator's state folder");
        }
        List<Path> files = Files.isDirectory(source) ? RoundLog.files(source) : List.of(source);
        if (files.isEmpty()) {
            throw new IllegalArgumentException("Folder " + source + " holds no " + RoundLog.FILE_NAME + "; point --rounds at"
                    + " the validator's state folder or at a round log file");
        }
        List<RoundRecord> rounds = new ArrayList<>();
        int skipped = 0;
        for (Path file : files) {
            RoundLog.Read read = RoundLog.read(file);
            rounds.addAll(read.rounds());
            skipped += read.skippedLines();
        }
        if (rounds.isEmpty()) {
            throw new IllegalArgumentException("Round log " + source + " holds no complete round"
                    + (skipped > 0 ? " (" + skipped + " damaged lines)" : "") + "; nothing to replay");
        }
        return new RecordedRounds(source, rounds, skipped);
    }
}
