package dev.chorus.bench.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.chorus.bench.metrics.Evaluation;
import dev.chorus.bench.metrics.MinerTruth;
import dev.chorus.bench.replay.MinerOutcome;
import dev.chorus.bench.replay.ReplayResult;
import dev.chorus.bench.replay.ScorerName;
import dev.chorus.bench.replay.ValidatorOutcome;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One replay with its evaluation, as a JSON tree and as files: {@code miners.csv}, {@code emission-by-epoch.csv},
 * {@code summary.json} and the charts.
 *
 * @param result     what the replay measured
 * @param evaluation how it paid the miners
 * @param truth      what each miner really is, by uid (may be empty)
 */
public record ReplayReport(ReplayResult result, Evaluation evaluation, Map<Integer, MinerTruth> truth) {

    static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);

    public ReplayReport {
        truth = new TreeMap<>(truth);
    }

    public static ReplayReport of(ReplayResult result, Map<Integer, MinerTruth> truth) {
        return new ReplayReport(result, Evaluation.of(result, truth), truth);
    }

    /** The machine-readable summary (keys sorted when written). */
    public Map<String, Object> summary() {
        Map<String, Object> out = new TreeMap<>();
        out.put("scorer", result.scorer());
        out.put("yuma", result.yuma3() ? "yuma3" : "classic");
        out.put("validatorCount", result.settings().validators());
        out.put("tempoRounds", result.settings().tempoRounds());
        out.put("trust", result.settings().trust().name().toLowerCase(Locale.ROOT));
        out.put("rounds", result.rounds());
        out.put("epochs", evaluation.epochs());
        out.put("rewardsCompared", result.check().compared());
        out.put("rewardsEqualToLog", result.check().equal());
        out.put("maxRewardDifference", Fixed.json(result.check().maxAbsDifference()));
        out.put("rewardsNotComparedPromptNotLogged", result.check().promptNotLogged());
        out.put("roundsNotJudgedByScorer", result.check().roundsNotJudged());
        out.put("evaluation", evaluationJson(evaluation));
        List<Map<String, Object>> miners = new ArrayList<>();
        for (MinerOutcome m : result.miners()) {
            Map<String, Object> row = new TreeMap<>();
            row.put("uid", m.uid());
            row.put("hotkey", m.hotkey());
            row.put("class", classOf(m.uid()));
            row.put("quality", Fixed.json(qualityOf(m.uid())));
            row.put("meanReward", Fixed.json(m.meanReward()));
            row.put("finalScore", Fixed.json(m.finalScore()));
            row.put("weight", Fixed.json(m.weight()));
            row.put("consensus", Fixed.json(m.consensus()));
            row.put("incentive", Fixed.json(m.incentive()));
            row.put("emissionShare", Fixed.json(m.emissionShare()));
            miners.add(row);
        }
        out.put("miners", miners);
        out.put("weightCopier", result.settings().hasCopier());
        out.put("revealEpochs", result.settings().revealEpochs());
        List<Map<String, Object>> validators = new ArrayList<>();
        for (ValidatorOutcome v : result.validators()) {
            Map<String, Object> row = new TreeMap<>();
            row.put("uid", v.uid());
            row.put("role", role(v));
            row.put("stake", v.stake());
            row.put("dividendShare", Fixed.json(v.dividendShare()));
            row.put("relativeYield", Fixed.json(v.relativeYield()));
            validators.add(row);
        }
        out.put("validators", validators);
        return out;
    }

    private static String role(ValidatorOutcome v) {
        return v.copier() ? "weight-copier" : "replaying";
    }

    /** A number formatted as every number of the summaries is. */
    public Object summaryNumber(double value) {
        return Fixed.json(value);
    }

    static Map<String, Object> evaluationJson(Evaluation e) {
        Map<String, Object> out = new TreeMap<>();
        Map<String, Object> shares = new TreeMap<>();
        e.shareByClass().forEach((k, v) -> shares.put(k, Fixed.json(v)));
        out.put("emissionShareByClass", shares);
        out.put("spearman", Fixed.json(e.spearman()));
        out.put("gini", Fixed.json(e.gini()));
        out.put("stableAfterTempos", e.stableAfter());
        out.put("cheaterShare", Fixed.json(e.cheaterShare()));
        return out;
    }

    /** A table for people: one row per miner, then the evaluation. */
    public String table() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "scorer %s, %s Yuma, %s, %s, %s%n",
                result.scorer(), result.yuma3() ? "yuma3" : "classic", count(result.settings().validators(), "validator"),
                count(result.rounds(), "round"), epochs()));
        out.append(String.format(Locale.ROOT, "%5s %-10s %8s %8s %8s %8s %9s %9s %9s%n", "uid", "class", "quality",
                "reward", "score", "weight", "consensus", "incentive", "emission"));
        for (MinerOutcome m : result.miners()) {
            out.append(String.format(Locale.ROOT, "%5d %-10s %8s %8.4f %8.4f %8.4f %9.4f %9.4f %9s%n", m.uid(),
                    classOf(m.uid()), Double.isNaN(qualityOf(m.uid())) ? "-" : String.format(Locale.ROOT, "%.2f", qualityOf(m.uid())),
                    m.meanReward(), m.finalScore(), m.weight(), m.consensus(), m.incentive(), Fixed.percent(m.emissionShare())));
        }
        out.append("emission by class:");
        evaluation.shareByClass().forEach((c, v) -> out.append(' ').append(c).append(' ').append(Fixed.percent(v)));
        out.append(String.format(Locale.ROOT, "%nSpearman(quality, emission) %s, Gini %s, %s%n",
                evaluation.noMinerPaid() ? "n/a" : Double.isNaN(evaluation.spearman()) ? "n/a (no truth, or one true quality for all)"
                        : String.format(Locale.ROOT, "%.3f", evaluation.spearman()),
                Fixed.ratio(evaluation.gini()), stability()));
        if (evaluation.noMinerPaid()) {
            out.append(noMinerPaid()).append("; Spearman and Gini are not defined\n");
        }
        out.append(String.format(Locale.ROOT, "%5s %-13s %14s %9s %14s   (commit-reveal %s)%n", "uid", "validator", "stake",
                "dividends", "rel. yield", result.settings().revealEpochs() == 0 ? "off"
                        : "on, reveal after " + count(result.settings().revealEpochs(), "epoch")));
        for (ValidatorOutcome v : result.validators()) {
            out.append(String.format(Locale.ROOT, "%5d %-13s %14d %9s %14.3f%n", v.uid(), role(v), v.stake(),
                    Fixed.percent(v.dividendShare()), v.relativeYield()));
        }
        out.append(String.format(Locale.ROOT, "rewards equal to the log: %d of %d (largest difference %.3g)%n",
                result.check().equal(), result.check().compared(), result.check().maxAbsDifference()));
        if (result.check().equal() < result.check().compared() && result.scorer().equals(ScorerName.CONSENSUS.cliName())) {
            out.append("  this scorer gave other rewards than the validator's: the replay scores with the settings --config"
                    + " gives, a fresh validator's defaults without it, so rewards differ where the validator's settings"
                    + " differ; to reproduce the validator instead, pass its effective settings (--config: its file, or what"
                    + " 'chorus validator --print-config' prints with the same --set and CHORUS_* overrides), use --trust"
                    + " logged if it restored a saved score book, and give a rotated log's folder rather than its newest"
                    + " file\n");
        }
        if (result.check().promptNotLogged() > 0) {
            out.append(String.format(Locale.ROOT, "not compared: %d rewards of organic rounds logged without their prompt,"
                    + " kept as logged (they cannot be scored again); a validator with organic.store_prompts: true logs it%n",
                    result.check().promptNotLogged()));
        }
        if (result.check().roundsNotJudged() > 0) {
            out.append(String.format(Locale.ROOT, "not judged: %s the %s scorer cannot judge (no reference answer), kept"
                    + " with their logged rewards and left out of the comparison%n",
                    count((int) result.check().roundsNotJudged(), "round"), result.scorer()));
        }
        return out.toString();
    }

    /** The last epoch ends with the log, so it may be shorter than a tempo; a short log has one epoch only. */
    private String epochs() {
        int tempo = result.settings().tempoRounds();
        int epochs = evaluation.epochs();
        if (epochs <= 1) {
            return count(epochs, "epoch") + " of " + count(result.longestLog(), "round");
        }
        int lastEpoch = result.longestLog() - (epochs - 1) * tempo;
        return epochs + " epochs of " + tempo + " rounds" + (lastEpoch == tempo ? "" : ", the last of " + lastEpoch);
    }

    /**
     * Why a replay may pay nobody: the rows never counted, or every miner scored 0 for every validator. Compare says it
     * beside each such scorer too, so that finding out why takes no second run of the same rounds.
     */
    String noMinerPaid() {
        int reveal = result.settings().revealEpochs();
        String rows = reveal > 0 && evaluation.epochs() <= reveal
                ? "commit-reveal holds each weight row back " + count(reveal, "epoch") + " and the log makes only "
                        + count(evaluation.epochs(), "epoch") + ", so no row ever counted; give a longer log, a shorter"
                        + " --tempo or a smaller --reveal-epochs"
                : "no validator sent a weight row that counted (every miner failed or scored 0 in every round"
                        + (reveal > 0 ? ", or commit-reveal held the rows back past the end of the log" : "") + ")";
        return "no miner was paid in any epoch: " + rows;
    }

    /** Stability is judged against the last epoch's ranking, so a single epoch has nothing to compare with it. */
    private String stability() {
        if (evaluation.noMinerPaid()) {
            return "ranking stability not measured (no miner was paid)";
        }
        if (evaluation.stableAfter() >= 0) {
            return "ranking settled after " + count(evaluation.stableAfter(), "tempo");
        }
        if (evaluation.epochs() < 2) {
            return "ranking stability not measured (it needs 2 epochs)";
        }
        return "ranking not yet settled after " + evaluation.epochs() + " epochs";
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    public String classOf(int uid) {
        MinerTruth t = truth.get(uid);
        return t == null ? Evaluation.UNKNOWN : t.minerClass();
    }

    private double qualityOf(int uid) {
        MinerTruth t = truth.get(uid);
        return t == null ? Double.NaN : t.quality();
    }

    /**
     * Writes the CSVs, the JSON summary and the charts into {@code dir}, prefixing each name with {@code prefix}. Every
     * chart is drawn before the first file is written, and each file replaces its predecessor whole.
     */
    public void write(Path dir, String prefix) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        StringBuilder miners = new StringBuilder(
                "uid,hotkey,class,quality,mean_reward,final_score,weight,consensus,incentive,emission_share\n");
        for (MinerOutcome m : result.miners()) {
            miners.append(String.join(",", String.valueOf(m.uid()), m.hotkey(), classOf(m.uid()),
                    Fixed.csv(qualityOf(m.uid())), Fixed.csv(m.meanReward()), Fixed.csv(m.finalScore()),
                    Fixed.csv(m.weight()), Fixed.csv(m.consensus()), Fixed.csv(m.incentive()),
                    Fixed.csv(m.emissionShare()))).append('\n');
        }
        files.put("miners.csv", miners.toString().getBytes(StandardCharsets.UTF_8));
        StringBuilder epochs = new StringBuilder("epoch,uid,emission_share\n");
        for (int e = 0; e < result.emissionByEpoch().size(); e++) {
            double[] shares = result.emissionByEpoch().get(e);
            for (int k = 0; k < shares.length; k++) {
                epochs.append(e + 1).append(',').append(result.miners().get(k).uid()).append(',')
                        .append(Fixed.csv(shares[k])).append('\n');
            }
        }
        files.put("emission-by-epoch.csv", epochs.toString().getBytes(StandardCharsets.UTF_8));
        files.put("summary.json", toJson(summary()).getBytes(StandardCharsets.UTF_8));
        files.put("emission-share.png", Charts.emissionOverEpochs(this));
        files.put("reward-distribution.png", Charts.rewardDistribution(this));
        files.put("weight-heatmap.png", Charts.weightHeatmap(this));
        Files.createDirectories(dir);
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            AtomicFile.write(dir.resolve(prefix + file.getKey()), file.getValue());
        }
    }

    public static String toJson(Object tree) {
        try {
            return JSON.writeValueAsString(tree) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void writeJson(Path file, Object tree) throws IOException {
        AtomicFile.write(file, toJson(tree));
    }

    /** Rewards of every miner of each class, pooled, by class name. */
    Map<String, List<Double>> rewardsByClass() {
        Map<String, List<Double>> out = new LinkedHashMap<>();
        new TreeMap<>(result.rewards()).forEach((uid, rewards) ->
                out.computeIfAbsent(classOf(uid), c -> new ArrayList<>()).addAll(rewards));
        return new TreeMap<>(out);
    }
}
