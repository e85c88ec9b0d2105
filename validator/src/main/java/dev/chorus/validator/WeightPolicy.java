package dev.chorus.validator;

import dev.chorus.chain.Hyperparameters;
import dev.chorus.chain.Metagraph;
import dev.chorus.chain.WeightVector;

/**
 * Turns the score book's scores (index = uid) into the vector a validator submits, through the Python SDK's pipeline
 * (process_weights_for_netuid, then convert_weights_and_uids_for_emit), so that for the same scores a
 * Chorus validator writes what a Bittensor validator would, except where the SDK's vector is too short for the chain
 * ({@link WeightVector#fromScores(double[], int, double, int)}).
 */
final class WeightPolicy {

    private WeightPolicy() {
    }

    static WeightVector vectorFor(double[] book, Metagraph metagraph, Hyperparameters hyperparameters, double maxWeightLimit) {
        int n = metagraph.size();
        double[] scores = new double[n];
        System.arraycopy(book, 0, scores, 0, Math.min(n, book.length));
        return WeightVector.fromScores(scores, hyperparameters.minAllowedWeights(), maxWeightLimit, 0);
    }
}
