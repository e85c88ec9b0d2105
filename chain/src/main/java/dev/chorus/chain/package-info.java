/**
 * The chain seam: metagraph snapshots, hyperparameters, weight vectors and the {@link dev.chorus.chain.SubnetChain}
 * API (read, write weights, register, administer) with its typed rejections.
 */
package dev.chorus.chain;
