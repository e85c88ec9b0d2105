package dev.chorus.chain;

/** A weights commit waiting to be revealed: its hash (0x hex), the epoch it was made in and its block. */
public record PendingCommit(String hash, long epoch, long block) {
}
