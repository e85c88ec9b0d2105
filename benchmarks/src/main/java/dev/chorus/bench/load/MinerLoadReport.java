package dev.chorus.bench.load;

import dev.chorus.bench.report.ReplayReport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The steps of a {@link MinerLoad} run and the best throughput that kept p99 under the limit. */
public record MinerLoadReport(MinerLoad.Options options, List<MinerLoad.Step> steps, int cores, double loadAverage) {

    /** The step with the most answered requests per second whose p99 stayed under the limit and had no errors. */
    public Optional<MinerLoad.Step> best() {
        return steps.stream().filter(s -> s.p99Ms() < options.p99LimitMs() && s.errors() == 0)
                .max(Comparator.comparingDouble(MinerLoad.Step::requestsPerSecond));
    }

    public Map<String, Object> summary() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (MinerLoad.Step s : steps) {
            rows.add(row(s));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("stepSeconds", options.stepSeconds());
        out.put("p99LimitMs", options.p99LimitMs());
        out.put("cores", cores);
        out.put("loadAverageAtEnd", Percentiles.round(loadAverage));
        out.put("steps", rows);
        out.put("best", best().map(MinerLoadReport::row).orElse(null));
        return out;
    }

    private static Map<String, Object> row(MinerLoad.Step s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("concurrency", s.concurrency());
        m.put("requests", s.requests());
        m.put("errors", s.errors());
        m.put("errorsByStatus", s.errorsByStatus());
        m.put("seconds", Percentiles.round(s.seconds()));
        m.put("requestsPerSecond", Percentiles.round(s.requestsPerSecond()));
        m.put("p50Ms", Percentiles.round(s.p50Ms()));
        m.put("p99Ms", Percentiles.round(s.p99Ms()));
        m.put("maxMs", Percentiles.round(s.maxMs()));
        m.put("ranOutOfSignedRequests", s.ranOutOfRequests());
        return m;
    }

    public String table() {
        StringBuilder t = new StringBuilder(String.format(Locale.ROOT,
                "miner SDK server under signed load: %.0f s a step, %d cores, load average %.2f at the end%n%n",
                options.stepSeconds(), cores, loadAverage));
        t.append("| concurrency | requests/s | p50 (ms) | p99 (ms) | max (ms) | requests | errors (by status) |\n|---:|---:|---:|---:|---:|---:|---:|\n");
        for (MinerLoad.Step s : steps) {
            t.append(String.format(Locale.ROOT, "| %d | %.0f | %.1f | %.1f | %.1f | %d | %s |%n", s.concurrency(),
                    s.requestsPerSecond(), s.p50Ms(), s.p99Ms(), s.maxMs(), s.requests(),
                    s.errors() == 0 ? "0" : s.errors() + " " + s.errorsByStatus()));
        }
        t.append(best().map(b -> String.format(Locale.ROOT, "%nhighest throughput with p99 under %.0f ms: %.0f requests/s (concurrency %d, p99 %.1f ms)%n",
                options.p99LimitMs(), b.requestsPerSecond(), b.concurrency(), b.p99Ms()))
                .orElse(String.format(Locale.ROOT, "%nno step kept p99 under %.0f ms without errors%n", options.p99LimitMs())));
        return t.toString();
    }

    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        ReplayReport.writeJson(dir.resolve("miner-load.json"), summary());
    }
}
