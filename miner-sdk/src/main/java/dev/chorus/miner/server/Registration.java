package dev.chorus.miner.server;

/**
 * Where {@link MinerServer#joinSubnet} left the miner: its uid on subnet {@code netuid}; whether this call registered
 * the hotkey ({@code false}: it held the uid already); whether it announced the axon ({@code false}: the chain had it
 * at that address already).
 */
public record Registration(int netuid, int uid, boolean registeredNow, boolean axonAnnouncedNow) {
}
