package dev.chorus.bench.replay;

import dev.chorus.validator.state.RoundLog;
import dev.chorus.validator.state.RoundRecord;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One validator's recorded rounds, read from a round log file or from a state folder holding {@code rounds.jsonl}
 * and its rotated files (oldest first).
 *
 * @param source       what was read
 * @param rounds       the rounds, oldest first
 * @param damaged      the damaged lines that were skipped: where each is and what is wrong with it, as
 *                     {@code file line N: problem}
 */
public record RecordedRounds(Path source, List<RoundRecord> rounds, List<String> damaged) {

    private static final int DAMAGED_NAMED = 5;

    public RecordedRounds {
        rounds = List.copyOf(rounds);
        damaged = List.copyOf(damaged);
    }

    public int skippedLines() {
        return damaged.size();
    }

    /**
     * How many damaged lines were skipped, then the first few, a line each with where it is and what is wrong, and
     * what to do about them.
     */
    public String damageSummary() {
        StringBuilder summary = new StringBuilder(damaged.size() + (damaged.size() == 1 ? " damaged line" : " damaged lines"));
        damaged.stream().limit(DAMAGED_NAMED).forEach(line -> summary.append("\n  ").append(line));
        if (damaged.size() > DAMAGED_NAMED) {
            summary.append("\n  and ").append(damaged.size() - DAMAGED_NAMED).append(" more");
        }
        return summary.append("\n  (each line is one round: mend what is named to replay that round too, or delete the"
                + " line; a line cut short holds only part of a round and cannot be mended)").toString();
    }

    public static RecordedRounds read(Path source) throws IOException {
        if (!Files.exists(source)) {
            throw new IllegalArgumentException("Round log " + source + " does not exist; give a rounds.jsonl file or the"
                    + " validator's state folder");
        }
        List<Path> files = Files.isDirectory(source) ? RoundLog.files(source) : List.of(source);
        if (files.isEmpty()) {
            throw new IllegalArgumentException("Folder " + source + " holds no " + RoundLog.FILE_NAME + "; "
                    + whereLogsAre(source));
        }
        List<RoundRecord> rounds = new ArrayList<>();
        List<String> damaged = new ArrayList<>();
        for (Path file : files) {
            RoundLog.Read read = RoundLog.read(file);
            rounds.addAll(read.rounds());
            read.damaged().forEach(line -> damaged.add(file + " line " + line.number() + ": " + line.problem()));
        }
        RecordedRounds read = new RecordedRounds(source, rounds, damaged);
        if (rounds.isEmpty()) {
            throw new IllegalArgumentException("Round log " + source + " holds no complete round; nothing to replay"
                    + (damaged.isEmpty() ? "" : ". It holds " + read.damageSummary()));
        }
        return read;
    }

    /** The demo's folder, for one, holds a state folder per validator: name them rather than leave the user to look. */
    private static String whereLogsAre(Path folder) throws IOException {
        List<Path> logFolders;
        try (Stream<Path> children = Files.list(folder)) {
            logFolders = children.filter(child -> Files.isRegularFile(child.resolve(RoundLog.FILE_NAME))).sorted().toList();
        }
        if (logFolders.isEmpty()) {
            return "point --rounds at the validator's state folder or at a round log file";
        }
        return "the state folders in it do: give --rounds " + logFolders.get(0)
                + (logFolders.size() == 1 ? "" : ", or one --rounds per validator (" + logFolders.stream()
                .map(f -> "--rounds " + f).collect(Collectors.joining(" ")) + ")");
    }
}
