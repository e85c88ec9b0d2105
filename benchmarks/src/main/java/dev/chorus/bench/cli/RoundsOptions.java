package dev.chorus.bench.cli;

import dev.chorus.bench.metrics.MinerTruth;
import dev.chorus.bench.metrics.TruthFile;
import dev.chorus.bench.replay.RecordedRounds;
import dev.chorus.bench.replay.ReplaySettings;
import dev.chorus.validator.state.RoundRecord;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** The recorded rounds to read, one log per validator, and the truth to judge them by. */
final class RoundsOptions {

    @Option(names = "--rounds", required = true, paramLabel = "FILE.jsonl",
            description = "A round log (rounds.jsonl) or a validator state folder; repeat it once per validator.")
    List<Path> rounds;

    @Option(names = "--truth", paramLabel = "FILE",
            description = "Miner classes and true qualities (default: truth.json beside the log or one folder up, if any).")
    Path truth;

    /**
     * The logs, one per validator (a single log repeated for {@code --validators}), the settings and the truth.
     *
     * @param logs     one list of rounds per replaying validator
     * @param settings the replay settings from the options
     * @param truth    miner classes and qualities by uid, empty when none was found
     */
    record Prepared(List<List<RoundRecord>> logs, ReplaySettings settings, Map<Integer, MinerTruth> truth) {
    }

    Prepared prepare(ReplayOptions replay, PrintWriter err) throws IOException {
        List<List<RoundRecord>> logs = load(err);
        ReplaySettings settings = replay.settings(logs.size());
        return new Prepared(ReplayOptions.perValidator(logs, settings), settings, truth(logs, err));
    }

    private List<List<RoundRecord>> load(PrintWriter err) throws IOException {
        List<List<RoundRecord>> logs = new ArrayList<>();
        for (Path source : rounds) {
            RecordedRounds read = RecordedRounds.read(source);
            if (read.skippedLines() > 0) {
                err.println("chorus-bench: " + source + ": skipped " + read.damageSummary());
            }
            Path older = source.resolveSibling(source.getFileName() + ".1");
            if (Files.isRegularFile(source) && Files.exists(older)) {
                Path folder = source.toAbsolutePath().getParent();
                err.println("chorus-bench: " + source + " is only the newest part of a rotated log (" + older.getFileName()
                        + " lies beside it); give the folder, --rounds " + folder + ", to replay all of it");
            }
            logs.add(read.rounds());
        }
        return logs;
    }

    /** A truth written for another subnet judges nothing, and silently: every miner would count as unknown. */
    private Map<Integer, MinerTruth> truth(List<List<RoundRecord>> logs, PrintWriter err) throws IOException {
        Map<Integer, MinerTruth> found = TruthFile.find(truth, rounds.get(0));
        if (found.isEmpty()) {
            return found;
        }
        Set<Integer> logged = new TreeSet<>();
        logs.forEach(log -> log.forEach(r -> r.miners().forEach(m -> logged.add(m.uid()))));
        mismatch(found.keySet(), logged).ifPresent(err::println);
        return found;
    }

    /** A warning when the truth's uids and the logged miners' uids differ, with how many of each match. */
    static Optional<String> mismatch(Set<Integer> truthUids, Set<Integer> loggedUids) {
        long matched = truthUids.stream().filter(loggedUids::contains).count();
        if (matched == truthUids.size() && matched == loggedUids.size()) {
            return Optional.empty();
        }
        long unknown = loggedUids.size() - matched;
        long unused = truthUids.size() - matched;
        return Optional.of("chorus-bench: the truth file names " + truthUids.size() + " uids and the logs "
                + loggedUids.size() + " miners, " + matched + " in common: " + unknown
                + (unknown == 1 ? " logged miner counts" : " logged miners count") + " as unknown and " + unused
                + (unused == 1 ? " truth entry is" : " truth entries are")
                + " unused; is it the truth of these logs? (--truth FILE)");
    }
}
