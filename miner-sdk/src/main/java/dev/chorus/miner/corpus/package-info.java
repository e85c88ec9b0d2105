/**
 * The question/reference-answer corpus (JSONL) that example miners answer from and validators draw
 * queries from, with its loader and validation.
 */
package dev.chorus.miner.corpus;
