/**
 * The web3j implementation of {@link dev.chorus.chain.SubnetChain}: hand-encoded ABI calls, nonce and fee
 * handling, receipt waiting and revert decoding, for the local contract and Bittensor's precompiles.
 */
package dev.chorus.chain.web3j;
