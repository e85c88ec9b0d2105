package dev.chorus.validator;

import dev.chorus.chain.Hyperparameters;
import dev.chorus.chain.Metagraph;
import dev.chorus.chain.WeightProcessing;
import dev.chorus.chain.WeightVector;

/**
 * Turns the score book's scores (index = uid) into the vector a validator submits, through the Python SDK's pipeline
 * (process_weights_for_netuid, then convert_weights_and_uids_for_emit), so that for the same scores a
 * Chorus validator writes what a Bittensor validator would.
 */
final class WeightPolicy {

    private WeightPolicy() {
    }

    static WeightVector vectorFor(double[] book, Metagraph metagraph, Hyperparameters hyperparameters, double maxWeightLimit) {
        int n = metagraph.size();
        int[] uids = new int[n];
        double[] scores = new double[n];
        for (int uid = 0; uid < n; uid++) {
            uids[uid] = uid;
            scores[uid] = uid < book.length ? book[uid] : 0;
        }
        WeightProcessing.Processed processed = WeightProcessing.processWeights(uids, scores, n,
                hyperparameters.minAllowedWeights(), maxWeightLimit, 0);
        return WeightProcessing.convertWeightsAndUidsForEmit(processed.uids(), processed.weights());
    }
}
