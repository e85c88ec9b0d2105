/**
 * The validator side of the protocol: {@link dev.chorus.miner.client.MinerClient} signs a query,
 * sends it to one miner's axon and turns whatever happens into a {@link dev.chorus.miner.client.MinerAnswer} value.
 */
package dev.chorus.miner.client;
