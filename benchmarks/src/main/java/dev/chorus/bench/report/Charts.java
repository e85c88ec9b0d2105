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
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.font.FontRenderContext;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** The bench's charts, drawn headless to PNG: three per replay, one per comparison. */
final class Charts {

    private static final int WIDTH = 1000;
    private static final int HEIGHT = 600;

    /** What tells the miners of one class apart, whose lines share its colour. */
    private static final Marker[] MINER_MARKERS = {SeriesMarkers.CIRCLE, SeriesMarkers.SQUARE, SeriesMarkers.DIAMOND,
            SeriesMarkers.TRIANGLE_UP, SeriesMarkers.TRIANGLE_DOWN, SeriesMarkers.CROSS, SeriesMarkers.PLUS};
    private static final BasicStroke[] MINER_LINES = {SeriesLines.SOLID, SeriesLines.DASH_DASH, SeriesLines.DOT_DOT};

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() {
    }

    /**
     * One line per miner: its share of each epoch's miner emission. Lines take their miner's class colour, since with
     * twenty miners a palette per line repeats and a copycat would wear an honest miner's colour; each epoch's value is
     * marked, so a replay of a single epoch still shows its points. Within a class each miner gets its own marker (and
     * past seven its own line style), so the legend tells every line apart; past {@link #LEGEND_ENTRIES} miners the
     * legend names the classes instead.
     */
    static byte[] emissionOverEpochs(ReplayReport report) throws IOException {
        return png(emissionChart(report));
    }

    /**
     * Legend entries that fit beside the plot at this height; xchart centres a longer legend and cuts it off at the top
     * and bottom (a 31st entry was cut), so no line could be told from its neighbours.
     */
    static final int LEGEND_ENTRIES = 30;

    static XYChart emissionChart(ReplayReport report) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Emission share per miner over epochs (" + report.result().scorer() + ")")
                .xAxisTitle("epoch").yAxisTitle("share of the epoch's miner emission").build();
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
        chart.getStyler().setYAxisDecimalPattern("0.#%");
        chart.getStyler().setXAxisDecimalPattern("0");
        chart.getStyler().setMarkerSize(5);
        List<double[]> epochs = report.result().emissionByEpoch();
        double[] x = new double[epochs.size()];
        for (int e = 0; e < x.length; e++) {
            x[e] = e + 1;
        }
        List<MinerOutcome> miners = report.result().miners();
        // A subnet's 256 miners cannot each have a legend entry: then the legend names the classes, by their colour,
        // and emission-by-epoch.csv has each miner's line.
        boolean legendByClass = miners.size() > LEGEND_ENTRIES;
        Map<String, Long> classSizes = miners.stream()
                .collect(Collectors.groupingBy(m -> report.classOf(m.uid()), Collectors.counting()));
        Map<String, Integer> drawnOfClass = new HashMap<>();
        for (int k = 0; k < miners.size(); k++) {
            double[] y = new double[epochs.size()];
            for (int e = 0; e < y.length; e++) {
                y[e] = epochs.get(e)[k];
            }
            int uid = miners.get(k).uid();
            String minerClass = report.classOf(uid);
            Color colour = classColour(minerClass);
            int ofClass = drawnOfClass.merge(minerClass, 1, Integer::sum) - 1;
            String name = !legendByClass ? "uid " + uid + " " + minerClass
                    : ofClass == 0 ? minerClass + " (" + classSizes.get(minerClass) + " miners)" : "uid " + uid;
            XYSeries series = chart.addSeries(name, x.length == 0 ? new double[]{0} : x, y.length == 0 ? new double[]{0} : y);
            series.setMarker(MINER_MARKERS[ofClass % MINER_MARKERS.length]).setMarkerColor(colour).setLineColor(colour)
                    .setLineStyle(MINER_LINES[ofClass / MINER_MARKERS.length % MINER_LINES.length]);
            series.setShowInLegend(!legendByClass || ofClass == 0);
        }
        return chart;
    }

    /** Okabe-Ito colours, told apart with any colour vision; cheaters in warm tones, unknown miners in black. */
    static Color classColour(String minerClass) {
        return switch (minerClass) {
            case "honest" -> new Color(0x00, 0x9E, 0x73);
            case "noisy" -> new Color(0x56, 0xB4, 0xE9);
            case "copycat" -> new Color(0xE6, 0x9F, 0x00);
            case "colluder" -> new Color(0xD5, 0x5E, 0x00);
            case "lazy" -> new Color(0x99, 0x99, 0x99);
            case "padder" -> new Color(0xCC, 0x79, 0xA7);
            case "opener" -> new Color(0x00, 0x72, 0xB2);
            default -> Color.BLACK;
        };
    }

    /** A box per miner class over every reward its miners got. */
    static byte[] rewardDistribution(ReplayReport report) throws IOException {
        BoxChart chart = new BoxChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Reward per round by miner class (" + report.result().scorer() + ")")
                .xAxisTitle("miner class").yAxisTitle("reward (0 to 1)").build();
        Map<String, List<Double>> byClass = report.rewardsByClass();
        for (String minerClass : inClassOrder(byClass.keySet())) {
            List<Double> rewards = byClass.get(minerClass);
            chart.addSeries(minerClass, rewards.isEmpty() ? List.of(0.0) : rewards);
        }
        return png(chart);
    }

    /**
     * Validators down, by uid, miners across: each validator's last weight row as shares. The scale starts at 0 in
     * white, so a miner given no weight reads as an empty cell, and the lowest weight given is not drawn as none.
     */
    static byte[] weightHeatmap(ReplayReport report) throws IOException {
        return png(heatmapChart(report));
    }

    static final String HEATMAP_SERIES = "weight share, % of the row";
    /** Width of the heatmap's cells, a little less than the chart's once the validator uids and the scale are drawn. */
    private static final double HEATMAP_LABEL_ROOM = 760;
    /** Space between two uid labels, so that neighbours read as two numbers. */
    private static final double LABEL_GAP = 12;

    static HeatMapChart heatmapChart(ReplayReport report) {
        HeatMapChart chart = new HeatMapChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Last weight row per validator: each miner's share of the row in % (" + report.result().scorer() + ")")
                .xAxisTitle("miner uid").yAxisTitle("validator uid").build();
        chart.getStyler().setShowValue(false);
        // A grey plot behind the cells, so that a white one (no weight) still shows where it is.
        chart.getStyler().setPlotBackgroundColor(new Color(0xE0, 0xE0, 0xE0));
        chart.getStyler().setRangeColors(new Color[]{Color.WHITE, new Color(0xFD, 0x8D, 0x3C), new Color(0x80, 0x00, 0x26)});
        List<Integer> minerUids = report.result().miners().stream().map(MinerOutcome::uid).toList();
        List<double[]> weights = report.result().weights();
        List<String> validators = new ArrayList<>();
        List<Number[]> cells = new ArrayList<>();
        for (int v = 0; v < weights.size(); v++) {
            validators.add(validatorLabel(report.result().validators(), v));
            for (int k = 0; k < minerUids.size(); k++) {
                cells.add(new Number[]{k, v, percent(weights.get(v)[k])});
            }
        }
        int labels = uidLabelsThatFit(minerUids, chart.getStyler().getAxisTickLabelsFont());
        if (labels < minerUids.size()) {
            // xchart otherwise prints every uid, and a subnet's 256 run together into one black bar
            chart.getStyler().setXAxisMaxLabelCount(labels);
        }
        HeatMapSeries series = chart.addSeries(HEATMAP_SERIES, minerUids.isEmpty() ? List.of(0) : minerUids,
                validators.isEmpty() ? List.of("none") : validators,
                cells.isEmpty() ? List.<Number[]>of(new Number[]{0, 0, 0.0}) : cells);
        // The gradient legend prints the series' bounds with Double.toString, past the reach of any formatter: hence
        // cells in per cent, as the other charts' axes read, and an upper bound widened to three significant digits.
        // The series' own maximum starts at Double.MIN_VALUE, so with no weight given at all the legend would print
        // 4.9E-324; a share of a row is at most 100 %, the scale then.
        double largest = percent(weights.stream().flatMapToDouble(Arrays::stream).max().orElse(0));
        series.setMin(0.0);
        series.setMax(largest > 0 ? legendUpperBound(largest) : 100.0);
        return chart;
    }

    /**
     * How many miner uids can be printed side by side under the heatmap, each as wide as the widest with a gap between
     * (at least 2, xchart's least). xchart then labels that many cells, spread evenly; each label still names its cell.
     */
    static int uidLabelsThatFit(List<Integer> minerUids, Font font) {
        FontRenderContext context = new FontRenderContext(null, true, true);
        double widest = minerUids.stream().mapToDouble(uid -> font.getStringBounds(String.valueOf(uid), context).getWidth())
                .max().orElse(0);
        return Math.max(2, (int) (HEATMAP_LABEL_ROOM / (widest + LABEL_GAP)));
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
        chart.getStyler().setYAxisDecimalPattern("0.#%");
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
        return present.isEmpty() ? List.of(Evaluation.UNKNOWN) : inClassOrder(present);
    }

    /** Classes in {@link MinerClass} order, honest first and the cheating ones together on the right; others last. */
    static List<String> inClassOrder(Collection<String> labels) {
        List<String> ordered = new ArrayList<>(labels);
        ordered.sort(Comparator.comparingInt(Charts::classRank).thenComparing(Comparator.naturalOrder()));
        return ordered;
    }

    private static int classRank(String label) {
        for (MinerClass c : MinerClass.values()) {
            if (c.label().equals(label)) {
                return c.ordinal();
            }
        }
        return MinerClass.values().length;
    }

    /** A share in per cent, by decimal arithmetic: 0.07 is 7.0 here, where {@code 100 * 0.07} is 7.000000000000001. */
    static double percent(double share) {
        return Double.isFinite(share) ? BigDecimal.valueOf(share).movePointRight(2).doubleValue() : share;
    }

    /** Rounded up to three significant digits, still above every cell, for the gradient legend to print. */
    static double legendUpperBound(double value) {
        return Double.isFinite(value) ? new BigDecimal(value).round(new MathContext(3, RoundingMode.CEILING)).doubleValue() : value;
    }

    /** Rendered whole before any file is opened, so a chart that fails to draw leaves no empty file behind. */
    private static byte[] png(Chart<?, ?> chart) throws IOException {
        return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    }
}
