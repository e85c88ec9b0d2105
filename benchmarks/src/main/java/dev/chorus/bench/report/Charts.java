package dev.chorus.bench.report;

import dev.chorus.bench.metrics.Evaluation;
import dev.chorus.bench.metrics.MinerClass;
import dev.chorus.bench.replay.MinerOutcome;
import dev.chorus.bench.replay.ValidatorOutcome;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BoxChart;
import org.knowm.xchart.BoxChartBuilder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.HeatMapSeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The bench's charts, drawn headless to PNG: three per replay, one per comparison. */
final class Charts {

    private static final int WIDTH = 1000;
    private static final int HEIGHT = 600;

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() {
    }

    /** One line per miner: its share of each epoch's miner emission. */
    static byte[] emissionOverEpochs(ReplayReport report) throws IOException {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Emission share per miner over epochs (" + report.result().scorer() + ")")
                .xAxisTitle("epoch").yAxisTitle("share of miner emission").build();
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
        List<double[]> epochs = report.result().emissionByEpoch();
        double[] x = new double[epochs.size()];
        for (int e = 0; e < x.length; e++) {
            x[e] = e + 1;
        }
        List<MinerOutcome> miners = report.result().miners();
        for (int k = 0; k < miners.size(); k++) {
            double[] y = new double[epochs.size()];
            for (int e = 0; e < y.length; e++) {
                y[e] = epochs.get(e)[k];
            }
            int uid = miners.get(k).uid();
            chart.addSeries("uid " + uid + " " + report.classOf(uid), x.length == 0 ? new double[]{0} : x,
                    y.length == 0 ? new double[]{0} : y).setMarker(SeriesMarkers.NONE);
        }
        return png(chart);
    }

    /** A box per miner class over every reward its miners got. */
    static byte[] rewardDistribution(ReplayReport report) throws IOException {
        BoxChart chart = new BoxChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Reward per round by miner class (" + report.result().scorer() + ")")
                .yAxisTitle("reward").build();
        for (Map.Entry<String, List<Double>> e : report.rewardsByClass().entrySet()) {
            List<Double> rewards = e.getValue().isEmpty() ? List.of(0.0) : e.getValue();
            chart.addSeries(e.getKey(), rewards);
        }
        return png(chart);
    }

    /** Validators down, by uid, miners across: each validator's last weight row as shares. */
    static byte[] weightHeatmap(ReplayReport report) throws IOException {
        HeatMapChart chart = new HeatMapChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Last weights, validators x miners (" + report.result().scorer() + ")")
                .xAxisTitle("miner uid").yAxisTitle("validator uid").build();
        chart.getStyler().setShowValue(false);
        List<Integer> minerUids = report.result().miners().stream().map(MinerOutcome::uid).toList();
        List<double[]> weights = report.result().weights();
        List<String> validators = new ArrayList<>();
        List<Number[]> cells = new ArrayList<>();
        for (int v = 0; v < weights.size(); v++) {
            validators.add(validatorLabel(report.result().validators(), v));
            for (int k = 0; k < minerUids.size(); k++) {
                cells.add(new Number[]{k, v, weights.get(v)[k]});
            }
        }
        HeatMapSeries series = chart.addSeries("weight share", minerUids.isEmpty() ? List.of(0) : minerUids,
                validators.isEmpty() ? List.of("none") : validators,
                cells.isEmpty() ? List.<Number[]>of(new Number[]{0, 0, 0.0}) : cells);
        // The gradient legend prints the series' bounds with Double.toString, past the reach of any formatter, so the
        // bounds themselves are widened to three significant digits.
        series.setMin(legendBound(series.getMin(), RoundingMode.FLOOR));
        series.setMax(legendBound(series.getMax(), RoundingMode.CEILING));
        return png(chart);
    }

    /** The row's uid, and the copier's role, whose row is a copy rather than a judgement. */
    static String validatorLabel(List<ValidatorOutcome> validators, int row) {
        if (row >= validators.size()) {
            return "row " + row;
        }
        ValidatorOutcome v = validators.get(row);
        return v.copier() ? v.uid() + " (copier)" : String.valueOf(v.uid());
    }

    /**
     * Scorers side by side: for each miner class, the share of miner emission each scorer paid it. Classes follow
     * {@link MinerClass} order, so the cheating ones sit together on the right; Spearman goes into each legend entry.
     */
    static byte[] classSharesByScorer(Comparison comparison) throws IOException {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Share of miner emission by class, per scorer")
                .xAxisTitle("miner class").yAxisTitle("share of miner emission").build();
        chart.getStyler().setYAxisDecimalPattern("0.00");
        List<String> classes = classesIn(comparison);
        for (ReplayReport report : comparison.ranked()) {
            Evaluation evaluation = report.evaluation();
            List<Double> shares = classes.stream()
                    .map(c -> evaluation.shareByClass().getOrDefault(c, 0.0)).toList();
            String spearman = Double.isNaN(evaluation.spearman()) ? "n/a"
                    : String.format(Locale.ROOT, "%.3f", evaluation.spearman());
            chart.addSeries(report.result().scorer() + " (Spearman " + spearman + ")", classes, shares);
        }
        return png(chart);
    }

    private static List<String> classesIn(Comparison comparison) {
        Set<String> present = new LinkedHashSet<>();
        comparison.ranked().forEach(r -> present.addAll(r.evaluation().shareByClass().keySet()));
        List<String> ordered = new ArrayList<>();
        for (MinerClass c : MinerClass.values()) {
            if (present.remove(c.label())) {
                ordered.add(c.label());
            }
        }
        ordered.addAll(present);
        return ordered.isEmpty() ? List.of(Evaluation.UNKNOWN) : ordered;
    }

    static double legendBound(double value, RoundingMode direction) {
        return Double.isFinite(value) ? new BigDecimal(value).round(new MathContext(3, direction)).doubleValue() : value;
    }

    /** Rendered whole before any file is opened, so a chart that fails to draw leaves no empty file behind. */
    private static byte[] png(Chart<?, ?> chart) throws IOException {
        return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    }
}
