package dev.chorus.bench.load;

import dev.chorus.bench.report.AtomicFile;
import dev.chorus.bench.report.ReplayReport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/** The measurements of a {@link ValidatorLoad} run: per-round samples and the every-N-rounds checkpoints. */
public record ValidatorLoadReport(ValidatorLoad.Options options, double setupSeconds, double seconds,
                                  List<ValidatorLoad.RoundSample> rounds, List<ValidatorLoad.Checkpoint> checkpoints,
                                  double minerFarmCpuMsPerRound, int cores, double loadAverage) {

    public long completedRounds() {
        return rounds.stream().filter(ValidatorLoad.RoundSample::completed).count();
    }

    /** Failed answers by kind over all measured rounds. */
    public Map<String, Integer> failures() {
        Map<String, Integer> total = new TreeMap<>();
        rounds.forEach(r -> r.failures().forEach((kind, n) -> total.merge(kind, n, Integer::sum)));
        return total;
    }

    public long queries() {
        return rounds.stream().mapToLong(r -> r.answered() + r.failures().values().stream().mapToInt(Integer::intValue).sum()).sum();
    }

    public double failureShare() {
        long failed = failures().values().stream().mapToLong(Integer::longValue).sum();
        return queries() == 0 ? Double.NaN : failed / (double) queries();
    }

    Percentiles of(ToDoubleFunction<ValidatorLoad.RoundSample> metric) {
        return new Percentiles(rounds.stream().mapToDouble(metric).toArray());
    }

    /** Overhead of the rounds that did (or did not) wait for a hung miner's deadline. */
    Percentiles overhead(boolean waited) {
        return new Percentiles(rounds.stream().filter(r -> r.waitedForDeadline() == waited)
                .mapToDouble(ValidatorLoad.RoundSample::overheadMs).toArray());
    }

    long roundsThatWaited() {
        return rounds.stream().filter(ValidatorLoad.RoundSample::waitedForDeadline).count();
    }

    public Map<String, Object> summary() {
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("miners", options.miners());
        run.put("deadMiners", options.deadMiners());
        run.put("rounds", options.rounds());
        run.put("warmupRounds", options.warmup());
        run.put("seed", options.seed());
        run.put("failureRate", options.failureRate());
        run.put("latencyMedianMs", options.medianMs());
        run.put("latencySigma", options.sigma());
        run.put("latencyCapMs", options.capMs());
        run.put("minerTimeoutMs", options.minerTimeout().toMillis());
        run.put("uniqueAnswers", options.uniqueAnswers());
        run.put("questions", options.questions());
        run.put("cores", cores);
        run.put("loadAverageAtEnd", Percentiles.round(loadAverage));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("run", run);
        out.put("setupSeconds", Percentiles.round(setupSeconds));
        out.put("seconds", Percentiles.round(seconds));
        out.put("completedRounds", completedRounds());
        out.put("queries", queries());
        out.put("failures", failures());
        out.put("failureShare", Math.round(failureShare() * 10_000) / 10_000.0);
        out.put("roundMs", of(ValidatorLoad.RoundSample::wallMs).summary());
        out.put("slowestMinerMs", of(ValidatorLoad.RoundSample::floorMs).summary());
        out.put("overheadMs", of(ValidatorLoad.RoundSample::overheadMs).summary());
        out.put("scoringMs", of(ValidatorLoad.RoundSample::scoringMs).summary());
        out.put("overheadExcludingScoringMs", of(r -> r.overheadMs() - r.scoringMs()).summary());
        out.put("roundsWithoutHungMiner", rounds.size() - roundsThatWaited());
        out.put("overheadWithoutHungMinerMs", overhead(false).summary());
        out.put("overheadWithHungMinerMs", overhead(true).summary());
        out.put("validatorCpuMsPerRound", of(ValidatorLoad.RoundSample::cpuMs).summary());
        out.put("minerFarmCpuMsPerRound", Percentiles.round(minerFarmCpuMsPerRound));
        List<Map<String, Object>> marks = new ArrayList<>();
        for (ValidatorLoad.Checkpoint c : checkpoints) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("round", c.round());
            m.put("seconds", Percentiles.round(c.seconds()));
            m.put("heapAfterGcMb", Percentiles.round(c.heapMb()));
            m.put("openFiles", c.openFiles());
            m.put("minerFarmOpenFiles", c.minerFarmOpenFiles());
            marks.add(m);
        }
        out.put("checkpoints", marks);
        return out;
    }

    public String table() {
        StringBuilder t = new StringBuilder();
        t.append(String.format(Locale.ROOT, "validator load: %d miners (%d of them at a closed port), %d rounds after %d warm-up, "
                        + "%.0f s (set-up %.0f s), %d cores, load average %.2f at the end%n%n", options.miners(),
                options.deadMiners(), options.rounds(), options.warmup(), seconds, setupSeconds, cores, loadAverage));
        t.append("| per round (ms) | p50 | p99 | max | mean |\n|---|---:|---:|---:|---:|\n");
        row(t, "round, end to end", of(ValidatorLoad.RoundSample::wallMs));
        row(t, "slowest answering miner (or timeout)", of(ValidatorLoad.RoundSample::floorMs));
        row(t, "overhead, scoring included", of(ValidatorLoad.RoundSample::overheadMs));
        row(t, "scoring (embed + consensus)", of(ValidatorLoad.RoundSample::scoringMs));
        row(t, "overhead, scoring excluded", of(r -> r.overheadMs() - r.scoringMs()));
        row(t, "overhead, rounds with no hung miner (" + (rounds.size() - roundsThatWaited()) + ")", overhead(false));
        row(t, "overhead, rounds that waited for a hung miner (" + roundsThatWaited() + ")", overhead(true));
        row(t, "validator CPU", of(ValidatorLoad.RoundSample::cpuMs));
        t.append(String.format(Locale.ROOT, "%nminers' CPU (child process): %.1f ms per round; rounds completed %d of %d; "
                + "failed answers %.2f %% of %d %s%n%n", minerFarmCpuMsPerRound, completedRounds(), rounds.size(),
                100 * failureShare(), queries(), failures()));
        t.append("| after round | s | heap after GC (MB) | open files (validator) | open files (miners) |\n|---:|---:|---:|---:|---:|\n");
        for (ValidatorLoad.Checkpoint c : checkpoints) {
            t.append(String.format(Locale.ROOT, "| %d | %.0f | %.1f | %d | %d |%n", c.round(), c.seconds(), c.heapMb(),
                    c.openFiles(), c.minerFarmOpenFiles()));
        }
        return t.toString();
    }

    private static void row(StringBuilder t, String name, Percentiles p) {
        t.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %.1f |%n", name, p.at(50), p.at(99), p.max(), p.mean()));
    }

    /** {@code load.json} (the summary) and {@code rounds.csv} (one line a measured round). */
    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        ReplayReport.writeJson(dir.resolve("load.json"), summary());
        StringBuilder csv = new StringBuilder("round,completed,wall_ms,slowest_miner_ms,waited_for_deadline,overhead_ms,"
                + "scoring_ms,cpu_ms,answered,failures\n");
        for (ValidatorLoad.RoundSample r : rounds) {
            csv.append(String.format(Locale.ROOT, "%d,%b,%.2f,%.0f,%b,%.2f,%.2f,%.2f,%d,%s%n", r.round(), r.completed(),
                    r.wallMs(), r.floorMs(), r.waitedForDeadline(), r.overheadMs(), r.scoringMs(), r.cpuMs(), r.answered(),
                    r.failures().toString().replace(",", ";")));
        }
        AtomicFile.write(dir.resolve("rounds.csv"), csv);
    }
}
