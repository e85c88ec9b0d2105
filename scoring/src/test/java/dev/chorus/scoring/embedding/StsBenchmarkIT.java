package dev.chorus.scoring.embedding;

import org.apache.commons.math3.stat.correlation.PearsonsCorrelation;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Checks the whole pipeline against the published STS Benchmark figure of all-MiniLM-L6-v2 (MTEB, test split).
 * The data is read from {@code ../shared} next to the repository and never copied into it.
 */
class StsBenchmarkIT {

    private static final double PUBLISHED_SPEARMAN = 0.8203247283;
    private static final double PUBLISHED_PEARSON = 0.8274064240;

    @Test
    void reproducesPublishedStsbCorrelations() throws IOException {
        Path repoRoot = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();
        Path data = repoRoot.resolve("../shared/data/stsb/stsb-test.tsv").normalize();
        assumeTrue(Files.isReadable(data), "STS-B data not found at " + data
                + ": skipping the STS-B check (it needs the shared reference folder next to the repository)");

        List<String> left = new ArrayList<>();
        List<String> right = new ArrayList<>();
        List<Double> gold = new ArrayList<>();
        for (String line : Files.readAllLines(data)) {
            String[] f = line.split("\t");
            if (f.length != 3) {
                continue;
            }
            gold.add(Double.parseDouble(f[0]));
            left.add(f[1]);
            right.add(f[2]);
        }
        assertThat(gold).hasSize(1379);

        double[] cosines = new double[gold.size()];
        try (OnnxEmbeddingModel model = OnnxEmbeddingModel.open(EmbeddingOptions.defaults()
                .withLongText(LongTextMode.TRUNCATE))) {
            List<float[]> a = model.embed(left);
            List<float[]> b = model.embed(right);
            for (int i = 0; i < cosines.length; i++) {
                cosines[i] = OnnxEmbeddingModelIT.cosine(a.get(i), b.get(i));
            }
        }
        double[] goldScores = gold.stream().mapToDouble(Double::doubleValue).toArray();

        assertThat(new SpearmansCorrelation().correlation(cosines, goldScores)).isCloseTo(PUBLISHED_SPEARMAN, within(1e-6));
        assertThat(new PearsonsCorrelation().correlation(cosines, goldScores)).isCloseTo(PUBLISHED_PEARSON, within(1e-6));
    }
}
