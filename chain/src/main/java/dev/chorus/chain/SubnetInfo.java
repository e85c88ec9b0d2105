package dev.chorus.chain;

import java.util.OptionalInt;

/**
 * Subnet-level state besides hyperparameters: who owns it, how many uids it has, when it was created,
 * when its last epoch ran, the current epoch index, and the owner hotkey's uid if it is registered.
 */
public record SubnetInfo(int netuid, String owner, int n, long createdAt, long lastEpochBlock, long epoch, OptionalInt ownerUid) {
}
