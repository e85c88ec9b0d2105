/**
 * Yuma Consensus as subtensor computes it: one epoch as a pure, bit-exact function of a subnet's
 * state, with the substrate-fixed arithmetic it needs and the JSON form outside tools use.
 */
package dev.chorus.chain.yuma;
