/**
 * Test fixtures shared by the miner-sdk tests: an in-memory subnet and a miner that records its calls.
 */
package dev.chorus.miner.testing;
