/**
 * Consensus scoring of one query round: a robust, trust-weighted consensus of the answers' embeddings, calibrated
 * rewards in [0, 1], and the anti-copy and anti-collusion rules that keep agreement from being gamed.
 */
package dev.chorus.scoring.consensus;
