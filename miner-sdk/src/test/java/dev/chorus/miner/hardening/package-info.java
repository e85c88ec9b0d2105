/**
 * Hardening suites for the miner SDK: seeded hostile-input fuzzing of the miner server over real loopback HTTP and
 * of the validator-side response parser, counting every answer by status or failure kind.
 */
package dev.chorus.miner.hardening;
