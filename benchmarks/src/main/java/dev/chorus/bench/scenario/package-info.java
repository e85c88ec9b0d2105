/**
 * A synthetic subnet of simulated miners whose true quality is known (honest, noisy, copycat, colluder, lazy,
 * padder, opener), run round by round through the validator's scorer and recorded in the validator's round-log format.
 */
package dev.chorus.bench.scenario;
