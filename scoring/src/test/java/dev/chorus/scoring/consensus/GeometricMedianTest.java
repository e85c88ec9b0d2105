package dev.chorus.scoring.consensus;

import org.apache.commons.math3.analysis.MultivariateFunction;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.NelderMeadSimplex;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.SimplexOptimizer;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class GeometricMedianTest {

    @Test
    void agreesWithAGeneralPurposeOptimizer() {
        Random random = new Random(7);
        for (int trial = 0; trial < 5; trial++) {
            int m = 7;
            int dim = 3;
            double[][] points = new double[m][dim];
            double[] weights = new double[m];
            for (int j = 0; j < m; j++) {
                for (int d = 0; d < dim; d++) points[j][d] = random.nextGaussian();
                weights[j] = 0.1 + random.nextDouble();
            }
            GeometricMedian.Solution solution = GeometricMedian.solve(gram(points), weights, 1000, 1e-12);
            double[] weiszfeld = combine(points, solution.coefficients());

            MultivariateFunction cost = x -> objective(points, weights, x);
            PointValuePair reference = new SimplexOptimizer(1e-14, 1e-14).optimize(new MaxEval(100_000),
                    new ObjectiveFunction(cost), GoalType.MINIMIZE, new InitialGuess(new double[dim]),
                    new NelderMeadSimplex(dim));

            assertThat(objective(points, weights, weiszfeld)).isCloseTo(reference.getValue(), within(1e-7));
            assertThat(weiszfeld).containsExactly(reference.getPoint(), within(1e-3));
        }
    }

    @Test
    void pointHoldingMostWeightIsTheMedian() {
        double[][] points = {{0, 0}, {10, 0}, {0, 10}, {-7, -7}};
        double[] weights = {3.1, 1, 1, 1};
        double[] median = combine(points, GeometricMedian.solve(gram(points), weights, 1000, 1e-12).coefficients());
        assertThat(median).containsExactly(new double[]{0, 0}, within(1e-6));
    }

    @Test
    void minorityCannotDragTheMedianFarWhateverItsDistance() {
        double[][] near = {{1, 0}, {0, 1}, {-1, 0}, {0, -1}, {1000, 1000}, {1000, 1000}};
        double[][] far = {{1, 0}, {0, 1}, {-1, 0}, {0, -1}, {1e6, 1e6}, {1e6, 1e6}};
        double[] weights = {1, 1, 1, 1, 1, 1};
        double[] a = combine(near, GeometricMedian.solve(gram(near), weights, 1000, 1e-12).coefficients());
        double[] b = combine(far, GeometricMedian.solve(gram(far), weights, 1000, 1e-12).coefficients());
        assertThat(Math.hypot(a[0], a[1])).isLessThan(1.0);
        assertThat(b).containsExactly(a, within(1e-3));
    }

    private static double objective(double[][] points, double[] weights, double[] x) {
        double sum = 0;
        for (int j = 0; j < points.length; j++) {
            double sq = 0;
            for (int d = 0; d < x.length; d++) sq += (x[d] - points[j][d]) * (x[d] - points[j][d]);
            sum += weights[j] * Math.sqrt(sq);
        }
        return sum;
    }

    private static double[][] gram(double[][] points) {
        double[][] g = new double[points.length][points.length];
        for (int i = 0; i < points.length; i++)
            for (int j = 0; j < points.length; j++)
                for (int d = 0; d < points[i].length; d++) g[i][j] += points[i][d] * points[j][d];
        return g;
    }

    private static double[] combine(double[][] points, double[] c) {
        double[] x = new double[points[0].length];
        for (int j = 0; j < points.length; j++)
            for (int d = 0; d < x.length; d++) x[d] += c[j] * points[j][d];
        return x;
    }
}
