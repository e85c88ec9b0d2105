/**
 * The validator's running memory of each miner: moving averages of round rewards per uid, kept in step with the
 * metagraph and persisted as a plain record.
 */
package dev.chorus.scoring.book;
