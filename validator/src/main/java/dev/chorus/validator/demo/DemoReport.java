package dev.chorus.validator.demo;

import java.util.List;

/**
 * What the demo shows: per miner its kind, what the validators thought of it, and what the chain paid it.
 *
 * @param netuid     the demo subnet
 * @param rpcUrl     the local chain
 * @param contract   the Subnet contract
 * @param epochs     epochs the chain ran during the demo
 * @param validators the validators' hotkeys, in the order of {@link MinerRow#weights()}
 * @param miners     one row per miner, by uid
 */
public record DemoReport(int netuid, String rpcUrl, String contract, int epochs, List<ValidatorRow> validators,
                         List<MinerRow> miners) {

    /** One validator: its uid, hotkey, rounds scored and weights transactions accepted. */
    public record ValidatorRow(int uid, String hotkey, long rounds, long weightsSet, String dashboard) {
    }

    /**
     * @param kind       which example miner runs at this uid
     * @param honest     whether it is one of the honest knowledge-base miners
     * @param answer     a preview of its last answer
     * @param meanReward mean reward over all rounds of all validators
     * @param score      the first validator's moving-average score
     * @param weights    the u16 weight each validator set on it on chain, normalized to [0, 1]
     * @param consensus  the chain's consensus term, [0, 1]
     * @param incentive  the chain's incentive term, [0, 1]
     * @param emission   emission earned over the demo, in the chain's base unit
     */
    public record MinerRow(int uid, String hotkey, String kind, boolean honest, String answer, double meanReward,
                           double score, List<Double> weights, double consensus, double incentive, long emission) {
    }
}
