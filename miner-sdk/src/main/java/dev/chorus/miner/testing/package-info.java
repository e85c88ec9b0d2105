/**
 * Trying a miner without a chain: a {@link dev.chorus.miner.testing.LocalValidator} that serves it on loopback and
 * asks it signed queries as a validator would, over an in-memory subnet ({@link dev.chorus.miner.testing.SubnetFixture}).
 */
package dev.chorus.miner.testing;
