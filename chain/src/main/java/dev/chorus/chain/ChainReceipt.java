package dev.chorus.chain;

/** A mined, successful transaction: its hash, the block it landed in and the gas it used. */
public record ChainReceipt(String txHash, long block, long gasUsed) {
}
