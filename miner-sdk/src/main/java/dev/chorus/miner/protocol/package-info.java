/**
 * The Chorus wire protocol: query and response records, their canonical JSON, and the
 * Epistula-shaped signed headers (secp256k1, EIP-191) that both validator and miner attach.
 */
package dev.chorus.miner.protocol;
