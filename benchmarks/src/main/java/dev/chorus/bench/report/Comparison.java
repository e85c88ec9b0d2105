package dev.chorus.bench.report;

import dev.chorus.bench.metrics.Evaluation;
import dev.chorus.bench.metrics.MinerClass;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The same rounds through several scorers, best first: by Spearman(quality, emission), then by the smaller share
 * paid to the cheating classes, then by name. Without a truth file there is nothing to rank by, so the scorers stay
 * in the order given.
 */
public record Comparison(List<ReplayReport> ranked) {

    /** Classes with a column only when a truth names them, so tables of scenarios without them keep their shape. */
    private static final Set<MinerClass> SHOWN_WHEN_PRESENT = EnumSet.of(MinerClass.PADDER, MinerClass.OPENER);

    static final String NOT_RANKED = "not ranked: no truth file (give --truth FILE, or put truth.json beside the log)";

    /** A scorer that paid no miner has no cheater share worth the name, so it goes last whatever its 0 % says. */
    private static final Comparator<ReplayReport> BEST_FIRST = Comparator
            .comparing((ReplayReport r) -> r.evaluation().noMinerPaid())
            .thenComparing(Comparator.comparingDouble((ReplayReport r) -> Double.isNaN(r.evaluation().spearman())
                    ? Double.NEGATIVE_INFINITY : r.evaluation().spearman()).reversed())
            .thenComparingDouble(r -> r.evaluation().cheaterShare())
            .thenComparing(r -> r.result().scorer());

    public Comparison {
        ranked = hasTruth(ranked) ? ranked.stream().sorted(BEST_FIRST).toList() : List.copyOf(ranked);
    }

    private static boolean hasTruth(List<ReplayReport> reports) {
        return reports.stream().anyMatch(r -> !r.truth().isEmpty());
    }

    public Map<String, Object> summary() {
        boolean isRanked = hasTruth(ranked);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < ranked.size(); i++) {
            ReplayReport r = ranked.get(i);
            Map<String, Object> row = new TreeMap<>();
            if (isRanked) {
                row.put("rank", i + 1);
            }
            row.put("scorer", r.result().scorer());
            row.put("evaluation", ReplayReport.evaluationJson(r.evaluation()));
            row.put("roundsNotJudged", r.result().check().roundsNotJudged());
            rows.add(row);
        }
        Map<String, Object> out = new TreeMap<>();
        out.put("scorers", rows);
        out.put("ranked", isRanked);
        if (!ranked.isEmpty()) {
            out.put("rounds", ranked.get(0).result().rounds());
            out.put("validatorCount", ranked.get(0).result().settings().validators());
            out.put("yuma", ranked.get(0).result().yuma3() ? "yuma3" : "classic");
        }
        return out;
    }

    public String table() {
        StringBuilder out = new StringBuilder();
        if (hasTruth(ranked)) {
            List<MinerClass> columns = columns();
            out.append(String.format(Locale.ROOT, "%4s %-12s %8s %7s", "rank", "scorer", "spearman", "gini"));
            boolean unknown = anyUnknown();
            columns.forEach(c -> out.append(String.format(Locale.ROOT, " %8s", c.label())));
            out.append(unknown ? String.format(Locale.ROOT, " %8s", Evaluation.UNKNOWN) : "");
            out.append(String.format(Locale.ROOT, " %8s%n", "settled"));
            for (int i = 0; i < ranked.size(); i++) {
                Evaluation e = ranked.get(i).evaluation();
                out.append(String.format(Locale.ROOT, "%4d %-12s %8s %7s", i + 1, ranked.get(i).result().scorer(),
                        spearman(e), Fixed.ratio(e.gini())));
                columns.forEach(c -> out.append(String.format(Locale.ROOT, " %8s", Fixed.percent(e.share(c)))));
                out.append(unknown ? String.format(Locale.ROOT, " %8s", Fixed.percent(unknownShare(e))) : "");
                out.append(String.format(Locale.ROOT, " %8s%n", stable(e)));
            }
        } else {
            out.append(NOT_RANKED).append('\n');
            out.append(String.format(Locale.ROOT, "%-12s %8s %7s %8s %8s%n", "scorer", "spearman", "gini", "unknown", "settled"));
            for (ReplayReport r : ranked) {
                Evaluation e = r.evaluation();
                out.append(String.format(Locale.ROOT, "%-12s %8s %7s %8s %8s%n", r.result().scorer(), spearman(e),
                        Fixed.ratio(e.gini()), Fixed.percent(unknownShare(e)), stable(e)));
            }
        }
        for (ReplayReport r : ranked) {
            if (r.evaluation().noMinerPaid()) {
                out.append(r.result().scorer()).append(": ").append(r.noMinerPaid())
                        .append(hasTruth(ranked) ? "; ranked last\n" : "\n");
            }
            long notJudged = r.result().check().roundsNotJudged();
            if (notJudged > 0) {
                out.append(String.format(Locale.ROOT, "%s: %d round%s not judged (no reference answer), kept with their"
                        + " logged rewards%n", r.result().scorer(), notJudged, notJudged == 1 ? "" : "s"));
            }
        }
        return out.toString();
    }

    private List<MinerClass> columns() {
        return Arrays.stream(MinerClass.values()).filter(c -> !SHOWN_WHEN_PRESENT.contains(c)
                || ranked.stream().anyMatch(r -> r.evaluation().shareByClass().containsKey(c.label()))).toList();
    }

    /**
     * Miners the truth file does not name: the ranking cannot count them as honest or cheating, so their share gets a
     * column of its own rather than vanishing from the table.
     */
    private boolean anyUnknown() {
        return ranked.stream().anyMatch(r -> r.evaluation().shareByClass().containsKey(Evaluation.UNKNOWN));
    }

    private static double unknownShare(Evaluation e) {
        return e.shareByClass().getOrDefault(Evaluation.UNKNOWN, 0.0);
    }

    private static String spearman(Evaluation e) {
        return Fixed.ratio(e.spearman());
    }

    private static String stable(Evaluation e) {
        if (e.noMinerPaid()) {
            return "n/a";
        }
        return e.stableAfter() >= 0 ? String.valueOf(e.stableAfter()) : e.epochs() < 2 ? "n/a" : "not yet";
    }

    /** Each scorer's files under {@code dir/<scorer>/}, {@code comparison.json} and {@code comparison.png}. */
    public void write(Path dir) throws IOException {
        byte[] chart = Charts.classSharesByScorer(this);
        for (ReplayReport r : ranked) {
            r.write(dir.resolve(r.result().scorer()), "");
        }
        ReplayReport.writeJson(dir.resolve("comparison.json"), summary());
        AtomicFile.write(dir.resolve("comparison.png"), chart);
    }
}
