package dev.chorus.validator;

import dev.chorus.chain.Hyperparameters;
import dev.chorus.chain.Metagraph;
import dev.chorus.chain.WeightVector;

/**
 * Turns the score book's scores (index = uid) into the vector a validator submits, through the Python SDK's pipeline
 * (process_weights_for_netuid, then convert_weights_and_uids_for_emit), so that for the same scores a
 * Chorus validator writes what a Bittensor validator would, except where the SDK's vector is too short for the chain
 * ({@link WeightVector#fromScores(double[], int, double, int)}). Only the uids this validator asks
 * ({@link dev.chorus.chain.Neuron#isMinerFor}) are weighed: a score book keeps the score of a uid it no longer asks,
 * and a miner must not keep its weight by withdrawing its axon or taking a permit.
 */
final class WeightPolicy {

    private WeightPolicy() {
    }

    /** The book's scores (index = uid) of the uids this validator asks, and 0 for every other uid of the metagraph. */
    static double[] weighedScores(double[] book, Metagraph metagraph, String ownHotkey) {
        double[] scores = new double[metagraph.size()];
        for (int uid = 0; uid < Math.min(scores.length, book.length); uid++) {
            scores[uid] = metagraph.neuron(uid).isMinerFor(ownHotkey) ? book[uid] : 0;
        }
        return scores;
    }

    static WeightVector vectorFor(double[] weighed, Hyperparameters hyperparameters, double maxWeightLimit) {
        return WeightVector.fromScores(weighed, hyperparameters.minAllowedWeights(), maxWeightLimit, 0);
    }
}
