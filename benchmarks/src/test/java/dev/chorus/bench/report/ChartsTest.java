package dev.chorus.bench.report;

import dev.chorus.bench.metrics.Evaluation;
import dev.chorus.bench.metrics.MinerTruth;
import dev.chorus.bench.replay.MinerOutcome;
import dev.chorus.bench.replay.ReplayResult;
import dev.chorus.bench.replay.ReplaySettings;
import dev.chorus.bench.replay.ValidatorOutcome;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ChartsTest {

    /** Two miners, honest uid 0 and copycat uid 1, over the given epochs; one validator whose last row is given. */
    private static ReplayReport report(List<double[]> emissionByEpoch, double[] lastRow) {
        return report(List.of("honest", "copycat"), emissionByEpoch, lastRow);
    }

    /** A miner of each given class, uid by uid (honest ones rewarded 0.8, others 0.1); one validator after them. */
    private static ReplayReport report(List<String> classes, List<double[]> emissionByEpoch, double[] lastRow) {
        List<MinerOutcome> miners = new ArrayList<>();
        Map<Integer, List<Double>> rewards = new HashMap<>();
        Map<Integer, MinerTruth> truth = new HashMap<>();
        for (int uid = 0; uid < classes.size(); uid++) {
            boolean honest = classes.get(uid).equals("honest");
            double reward = honest ? 0.8 : 0.1;
            double share = honest ? 0.9 : 0.1;
            String hotkey = classes.get(uid).charAt(0) + String.valueOf(uid);
            miners.add(new MinerOutcome(uid, hotkey, reward, reward, lastRow[uid], share, share, share));
            rewards.put(uid, List.of(reward));
            truth.put(uid, new MinerTruth(uid, classes.get(uid), honest ? 1 : 0));
        }
        ReplayResult result = new ReplayResult("consensus", false, ReplaySettings.defaults(1, 10, false), 10, 10, miners,
                List.of(new ValidatorOutcome(classes.size(), false, 1_000_000, 1, 1)), emissionByEpoch, List.of(lastRow),
                rewards, new ReplayResult.RewardCheck(0, 0, 0, 0, 0));
        return new ReplayReport(result, new Evaluation(Map.of("honest", 0.9, "copycat", 0.1), 1, 0.4, -1, emissionByEpoch.size()),
                truth);
    }

    @Test
    void aReplayOfOneEpochStillDrawsEveryMinersShare() throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(
                Charts.emissionOverEpochs(report(List.<double[]>of(new double[]{0.9, 0.1}), new double[]{0.9, 0.1}))));

        // Left of the legend only grey grid lines, black text and the white plot are drawn unless a series shows.
        int coloured = 0;
        for (int x = 0; x < 700; x++) {
            for (int y = 0; y < image.getHeight(); y++) {
                Color c = new Color(image.getRGB(x, y));
                int spread = Math.max(c.getRed(), Math.max(c.getGreen(), c.getBlue()))
                        - Math.min(c.getRed(), Math.min(c.getGreen(), c.getBlue()));
                if (spread > 80) {
                    coloured++;
                }
            }
        }
        assertThat(coloured).as("pixels of a miner's point in the plot").isGreaterThan(20);
    }

    @Test
    void emissionLinesWearTheirMinersClassColourAndTheAxisReadsInPercent() {
        XYChart chart = Charts.emissionChart(report(List.of(new double[]{0.9, 0.1}, new double[]{0.8, 0.2}),
                new double[]{0.8, 0.2}));

        assertThat(chart.getSeriesMap().get("uid 0 honest").getLineColor()).isEqualTo(Charts.classColour("honest"));
        assertThat(chart.getSeriesMap().get("uid 1 copycat").getLineColor()).isEqualTo(Charts.classColour("copycat"))
                .isNotEqualTo(Charts.classColour("honest"));
        assertThat(chart.getStyler().getYAxisDecimalPattern()).isEqualTo("0.#%");
    }

    @Test
    void minersOfOneClassAreToldApartByMarkerAndLineWhileSharingItsColour() {
        List<String> classes = List.of("honest", "honest", "honest", "honest", "honest", "honest", "honest", "honest",
                "copycat", "honest");
        double[] share = new double[classes.size()];
        Arrays.fill(share, 0.1);
        XYChart chart = Charts.emissionChart(report(classes, List.<double[]>of(share), share));

        List<XYSeries> honest = chart.getSeriesMap().values().stream().filter(line -> line.getName().endsWith("honest"))
                .toList();
        assertThat(honest).hasSize(9).allSatisfy(line ->
                assertThat(line.getLineColor()).isEqualTo(Charts.classColour("honest")));
        assertThat(honest.stream().map(line -> Arrays.asList(line.getMarker(), line.getLineStyle())).distinct())
                .as("each honest miner's marker and line style").hasSize(9);
        XYSeries copycat = chart.getSeriesMap().get("uid 8 copycat");
        assertThat(copycat.getMarker()).as("the first of its class").isEqualTo(chart.getSeriesMap().get("uid 0 honest")
                .getMarker());
        assertThat(copycat.getLineColor()).isEqualTo(Charts.classColour("copycat"));
    }

    /** A subnet's 256 miners, in the default scenario's proportions of classes, over three epochs. */
    private static ReplayReport subnetOf256() {
        List<String> kinds = List.of("honest", "honest", "honest", "noisy", "copycat", "colluder", "lazy", "honest");
        List<String> classes = new ArrayList<>();
        for (int uid = 0; uid < 256; uid++) {
            classes.add(kinds.get(uid % kinds.size()));
        }
        double[] share = new double[classes.size()];
        Arrays.fill(share, 1.0 / classes.size());
        return report(classes, List.of(share, share, share), share);
    }

    @Test
    void theLegendOfASubnetsMinersNamesTheirClassesAndFitsTheChart() throws IOException {
        ReplayReport subnet = subnetOf256();

        assertThat(Charts.emissionChart(subnet).getSeriesMap().values().stream().filter(XYSeries::isShowInLegend)
                .map(XYSeries::getName)).containsExactlyInAnyOrder("honest (128 miners)", "noisy (32 miners)",
                "copycat (32 miners)", "colluder (32 miners)", "lazy (32 miners)");
        // Beside the plot, the legend's box must lie inside the picture: a legend too long for it was centred and cut
        // off at the top and bottom, white to the picture's edges, with the names of most lines missing.
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(Charts.emissionOverEpochs(subnet)));
        int background = image.getRGB(0, 0);
        for (int x = image.getWidth() - 150; x < image.getWidth(); x++) {
            assertThat(image.getRGB(x, 0)).as("top edge at x %d", x).isEqualTo(background);
            assertThat(image.getRGB(x, image.getHeight() - 1)).as("bottom edge at x %d", x).isEqualTo(background);
        }
    }

    @Test
    void aLegendThatFitsKeepsAnEntryPerMiner() {
        List<String> classes = new ArrayList<>(Collections.nCopies(Charts.LEGEND_ENTRIES, "honest"));
        double[] share = new double[classes.size()];
        Arrays.fill(share, 1.0 / classes.size());

        assertThat(Charts.emissionChart(report(classes, List.<double[]>of(share), share)).getSeriesMap().values())
                .hasSize(Charts.LEGEND_ENTRIES).allMatch(XYSeries::isShowInLegend);
    }

    @Test
    void theHeatmapOfASubnetLabelsAsManyMinerUidsAsFitWhereASmallOneLabelsEach() {
        List<Integer> uids = new ArrayList<>();
        for (int uid = 0; uid < 256; uid++) {
            uids.add(uid);
        }
        // 256 uids side by side under a 1000-pixel chart ran together into one black bar
        assertThat(Charts.heatmapChart(subnetOf256()).getStyler().getXAxisMaxLabelCount())
                .isEqualTo(Charts.uidLabelsThatFit(uids, new HeatMapChartBuilder().build().getStyler().getAxisTickLabelsFont()))
                .isBetween(10, 40);
        double[] row = new double[22];
        Arrays.fill(row, 1.0 / row.length);
        assertThat(Charts.heatmapChart(report(Collections.nCopies(row.length, "honest"), List.<double[]>of(row), row))
                .getStyler().getXAxisMaxLabelCount()).as("the default scenario's 22 miners: no limit, every uid").isZero();
    }

    @Test
    void heatmapScaleStartsAtNoWeightInWhiteSoTheLowestWeightGivenIsNotDrawnAsNone() {
        HeatMapChart chart = Charts.heatmapChart(report(List.<double[]>of(new double[]{0.7, 0.3}), new double[]{0.7, 0.3}));

        assertThat(chart.getSeriesMap().get(Charts.HEATMAP_SERIES).getMin()).isZero();
        assertThat(chart.getSeriesMap().get(Charts.HEATMAP_SERIES).getMax()).as("per cent, as the legend prints it").isEqualTo(70.0);
        assertThat(chart.getStyler().getRangeColors()[0]).isEqualTo(Color.WHITE);
        assertThat(chart.getStyler().getPlotBackgroundColor()).as("behind the cells, so a white one shows").isNotEqualTo(Color.WHITE);
    }

    @Test
    void heatmapWithNoWeightGivenSpansZeroToAHundredPerCentRatherThanZeroToZero() throws IOException {
        ReplayReport noWeights = report(List.<double[]>of(new double[]{0, 0}), new double[]{0, 0});
        HeatMapChart chart = Charts.heatmapChart(noWeights);

        assertThat(chart.getSeriesMap().get(Charts.HEATMAP_SERIES).getMin()).isZero();
        assertThat(chart.getSeriesMap().get(Charts.HEATMAP_SERIES).getMax()).isEqualTo(100.0);
        assertThat(Charts.weightHeatmap(noWeights)).isNotEmpty();
    }

    @Test
    void classesComeHonestFirstThenTheCheatersThenUnknown() {
        assertThat(Charts.inClassOrder(Set.of("lazy", "unknown", "copycat", "noisy", "honest", "opener")))
                .containsExactly("honest", "noisy", "copycat", "lazy", "opener", "unknown");
    }

    @Test
    void heatmapLegendUpperBoundKeepsThreeSignificantDigitsAndStillHoldsEveryCell() {
        assertThat(String.valueOf(Charts.legendUpperBound(0.11049048434739213))).isEqualTo("0.111");
        assertThat(String.valueOf(Charts.legendUpperBound(0.0012345))).isEqualTo("0.00124");
        assertThat(String.valueOf(Charts.legendUpperBound(1.0))).isEqualTo("1.0");
        assertThat(String.valueOf(Charts.legendUpperBound(Charts.percent(0.07)))).as("not 7.01, for 100 * 0.07's last bit")
                .isEqualTo("7.0");
    }

    @Test
    void heatmapRowsAreNamedByUidAndTheCopierByItsRole() {
        List<ValidatorOutcome> validators = List.of(new ValidatorOutcome(22, false, 1, 0.4, 1),
                new ValidatorOutcome(23, false, 1, 0.4, 1), new ValidatorOutcome(24, true, 1, 0.2, 0.5));
        assertThat(List.of(0, 1, 2)).extracting(row -> Charts.validatorLabel(validators, row))
                .containsExactly("22", "23", "24 (copier)");
    }
}
