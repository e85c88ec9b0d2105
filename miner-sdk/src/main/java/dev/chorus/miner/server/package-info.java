/**
 * The miner side: the {@link dev.chorus.miner.server.Miner} a developer implements and the
 * {@link dev.chorus.miner.server.MinerServer} that authenticates, throttles and answers signed queries.
 */
package dev.chorus.miner.server;
