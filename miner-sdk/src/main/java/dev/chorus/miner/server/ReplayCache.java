package dev.chorus.miner.server;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers each (signer, uuid) until the expiry its caller gives: a window past the later of its
 * timestamp and its recording, after which the timestamp check alone stops a replay. Bounded: when full
 * of live entries it refuses new ones rather than forget a live one, because forgetting would reopen
 * the replay window.
 */
final class ReplayCache {

    private final int capacity;
    private final Map<String, Long> expiries = new LinkedHashMap<>();

    ReplayCache(int capacity) {
        this.capacity = capacity;
    }

    synchronized boolean seen(String signer, String uuid, long nowMillis) {
        Long expiry = expiries.get(key(signer, uuid));
        return expiry != null && expiry >= nowMillis;
    }

    /**
     * Records the pair; false when it was already there (a replay racing the original).
     *
     * @throws RefusedException {@link Rejection#REPLAY_CACHE_FULL} when no slot can be freed
     */
    synchronized boolean remember(String signer, String uuid, long expiresAtMillis, long nowMillis) {
        String key = key(signer, uuid);
        Long previous = expiries.get(key);
        if (previous != null && previous >= nowMillis) {
            return false;
        }
        if (expiries.size() >= capacity) {
            evictExpired(nowMillis);
            if (expiries.size() >= capacity) {
                throw new RefusedException(Rejection.REPLAY_CACHE_FULL,
                        "replay cache holds " + capacity + " live entries; try again shortly");
            }
        }
        expiries.put(key, expiresAtMillis);
        return true;
    }

    synchronized int size() {
        return expiries.size();
    }

    private void evictExpired(long nowMillis) {
        Iterator<Long> it = expiries.values().iterator();
        while (it.hasNext()) {
            if (it.next() < nowMillis) {
                it.remove();
            }
        }
    }

    private static String key(String signer, String uuid) {
        return signer + "/" + uuid;
    }
}
