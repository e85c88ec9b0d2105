/**
 * Replays a validator's round log: re-scores every round with a chosen scorer, keeps score books, forms weight
 * vectors per tempo and runs the Java Yuma epoch over them, so researchers can see who a scoring rule pays.
 */
package dev.chorus.bench.replay;
