package dev.chorus.validator;

import dev.chorus.chain.Hyperparameters;
import dev.chorus.chain.Metagraph;
import dev.chorus.chain.WeightVector;
import dev.chorus.validator.state.RoundRecord.MetagraphView;

import java.util.function.IntPredicate;

/**
 * Turns the score book's scores (index = uid) into the vector a validator submits, through the Python SDK's pipeline
 * (process_weights_for_netuid, then convert_weights_and_uids_for_emit), so that for the same scores a
 * Chorus validator writes what a Bittensor validator would, except where the SDK's vector is too short for the chain
 * ({@link WeightVector#fromScores(double[], int, double, int)}). Only the uids this validator asks
 * ({@link dev.chorus.chain.Neuron#isMinerFor}) are weighed: a score book keeps the score of a uid it no longer asks,
 * and a miner must not keep its weight by withdrawing its axon or taking a permit. The round log records that choice
 * with each round ({@link MetagraphView}), so the researchers' replay weighs the same uids through the same method.
 */
public final class WeightPolicy {

    private WeightPolicy() {
    }

    /** The book's scores (index = uid) of the uids this validator asks, and 0 for every other uid of the metagraph. */
    static double[] weighedScores(double[] book, Metagraph metagraph, String ownHotkey) {
        return weighedScores(book, metagraph.size(), MetagraphView.of(metagraph, ownHotkey)::weighs);
    }

    /** The book's scores (index = uid) of the {@code size} uids, each where {@code weighs} holds for it and 0 elsewhere. */
    public static double[] weighedScores(double[] book, int size, IntPredicate weighs) {
        double[] scores = new double[size];
        for (int uid = 0; uid < Math.min(size, book.length); uid++) {
            scores[uid] = weighs.test(uid) ? book[uid] : 0;
        }
        return scores;
    }

    static WeightVector vectorFor(double[] weighed, Hyperparameters hyperparameters, double maxWeightLimit) {
        return WeightVector.fromScores(weighed, hyperparameters.minAllowedWeights(), maxWeightLimit, 0);
    }
}
