/**
 * JMH benchmarks of the Java Yuma Consensus epoch on full, densely weighted subnets.
 */
package dev.chorus.bench.yuma;
