package dev.chorus.validator.organic;

import dev.chorus.chain.Neuron;
import dev.chorus.miner.client.MinerAnswer;

/** A miner asked in an organic round, what it replied, and whether it was asked to explore. */
record Asked(Neuron neuron, MinerAnswer answer, boolean explored) {
}
