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
        return new Prepared(ReplayOptions.perValidator(logs, settings), settings, truth());
    }

    private List<List<RoundRecord>> load(PrintWriter err) throws IOException {
        List<List<RoundRecord>> logs = new ArrayList<>();
        for (Path source : rounds) {
            RecordedRounds read = RecordedRounds.read(source);
            if (read.skippedLines() > 0) {
                err.println("chorus-bench: skipped " + read.damageSummary() + " in " + source);
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

    private Map<Integer, MinerTruth> truth() throws IOException {
        return TruthFile.find(truth, rounds.get(0));
    }
}
