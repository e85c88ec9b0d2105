/**
 * The validator service: metagraph sync, query rounds, scoring, weights on chain, state, wired on Vert.x
 * with every blocking call (chain, ONNX, disk) on a named worker pool.
 */
package dev.chorus.validator;
