/**
 * Numbers that say whether a scoring rule pays real quality: emission share by miner class, rank correlation with
 * true quality, the Gini coefficient of emission and how many tempos the ranking takes to settle.
 */
package dev.chorus.bench.metrics;
