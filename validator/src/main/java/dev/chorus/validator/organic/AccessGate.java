package dev.chorus.validator.organic;

import dev.chorus.config.OrganicSettings;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Lets an organic request in or refuses it: a known API key in {@code Authorization: Bearer}, organic scoring
 * time left in the {@link ScoringBudget}, a free slot among the key's concurrent requests and among all organic
 * requests, and a token from that key's bucket. Every pass must be {@linkplain Pass#release() released} when its
 * request is done (its round completed, or it never got one). Thread-safe.
 */
final class AccessGate {

    /** An admitted request; release it when its round completes, or when its response ends if it never had one. */
    interface Pass {
        String keyName();

        void release();
    }

    private final Map<String, byte[]> digests = new LinkedHashMap<>();
    private final Map<String, TokenBucket> buckets = new HashMap<>();
    private final Map<String, Integer> inFlightByKey = new HashMap<>();
    private final int maxPerKey;
    private final int maxTotal;
    private final LongSupplier nanoClock;
    private final ScoringBudget budget;
    private int inFlight;

    /**
     * @param keys API key name (the environment variable that held it) to key; empty keys are ignored
     */
    AccessGate(Map<String, String> keys, OrganicSettings settings, ScoringBudget budget, LongSupplier nanoClock) {
        this.budget = budget;
        this.maxPerKey = settings.maxConcurrentPerKey();
        this.maxTotal = settings.maxConcurrent();
        this.nanoClock = nanoClock;
        long now = nanoClock.getAsLong();
        keys.forEach((name, key) -> {
            if (key != null && !key.isBlank()) {
                digests.put(name, sha256(key.trim()));
                buckets.put(name, new TokenBucket(settings.burst(), settings.requestsPerMinute(), now));
                inFlightByKey.put(name, 0);
            }
        });
    }

    /**
     * Reads the keys from the environment variables named in the settings.
     *
     * @throws IllegalArgumentException as {@link #readKeys}
     */
    static AccessGate fromEnvironment(OrganicSettings settings, Map<String, String> env, ScoringBudget budget,
                                      LongSupplier nanoClock) {
        return new AccessGate(readKeys(settings, env), settings, budget, nanoClock);
    }

    /**
     * @return each variable of {@code organic.api_key_envs} that holds a key, with its key
     * @throws IllegalArgumentException when none of them holds a key, naming the variables to set, or when a key is
     *                                  shorter than {@link OrganicSettings#MIN_API_KEY_CHARS}
     */
    static Map<String, String> readKeys(OrganicSettings settings, Map<String, String> env) {
        Map<String, String> keys = new LinkedHashMap<>();
        List<String> unset = new ArrayList<>();
        List<String> tooShort = new ArrayList<>();
        for (String name : settings.apiKeyEnvNames()) {
            String value = env.get(name);
            if (value == null || value.isBlank()) {
                unset.add(name);
            } else if (value.trim().length() < OrganicSettings.MIN_API_KEY_CHARS) {
                tooShort.add(name);
            } else {
                keys.put(name, value);
            }
        }
        if (!tooShort.isEmpty()) {
            throw new IllegalArgumentException("the API key in the environment variable(s) " + tooShort + " (organic.api_key_envs)"
                    + " is shorter than " + OrganicSettings.MIN_API_KEY_CHARS + " characters, short enough to guess; make"
                    + " each key with `openssl rand -hex 32` and give it to its consumer");
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("organic queries are enabled but no API key is set: put a key in the "
                    + "environment variable(s) " + unset + " (organic.api_key_envs; make one with `openssl rand -hex 32`)"
                    + " or set organic.enabled=false");
        }
        return keys;
    }

    int keyCount() {
        return digests.size();
    }

    /** @throws OrganicRefused with BAD_KEY, RATE_LIMITED, BUDGET_SPENT or TOO_MANY_IN_FLIGHT */
    Pass admit(String authorization) {
        String name = keyName(authorization);
        long busy = budget.waitNanos(nanoClock.getAsLong());
        if (busy > 0) {
            long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(busy + 999_999_999L));
            throw new OrganicRefused(OrganicRefused.Reason.BUDGET_SPENT, "this validator's time for organic "
                    + "questions is used up for the moment (it keeps most of its time for scoring miners); retry after "
                    + seconds + " s", seconds);
        }
        synchronized (this) {
            int mine = inFlightByKey.get(name);
            if (mine >= maxPerKey) {
                throw new OrganicRefused(OrganicRefused.Reason.TOO_MANY_IN_FLIGHT, "API key " + name + " already has "
                        + mine + " requests in flight (the limit per key); wait for one to finish", 1);
            }
            if (inFlight >= maxTotal) {
                throw new OrganicRefused(OrganicRefused.Reason.TOO_MANY_IN_FLIGHT, "this validator is answering "
                        + inFlight + " organic requests already (its limit); retry shortly", 1);
            }
            // Only after the slot checks: a request they refuse is not served, so it must not cost the key a token.
            long wait = buckets.get(name).tryTake(nanoClock.getAsLong());
            if (wait > 0) {
                long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(wait + 999_999_999L));
                throw new OrganicRefused(OrganicRefused.Reason.RATE_LIMITED, "API key " + name
                        + " is over its rate limit; retry after " + seconds + " s", seconds);
            }
            inFlightByKey.put(name, mine + 1);
            inFlight++;
        }
        return new Pass() {
            private boolean released;

            @Override
            public String keyName() {
                return name;
            }

            @Override
            public void release() {
                synchronized (AccessGate.this) {
                    if (!released) {
                        released = true;
                        inFlightByKey.merge(name, -1, Integer::sum);
                        inFlight--;
                    }
                }
            }
        };
    }

    private String keyName(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new OrganicRefused(OrganicRefused.Reason.BAD_KEY,
                    "missing API key: send the header 'Authorization: Bearer <your key>'");
        }
        byte[] given = sha256(authorization.substring(7).trim());
        String match = null;
        // Every key is compared, in constant time, so the response time says nothing about which key came close.
        for (Map.Entry<String, byte[]> entry : digests.entrySet()) {
            if (MessageDigest.isEqual(given, entry.getValue())) {
                match = entry.getKey();
            }
        }
        if (match == null) {
            throw new OrganicRefused(OrganicRefused.Reason.BAD_KEY,
                    "invalid API key: ask the validator's operator for a key and send it as 'Authorization: Bearer <key>'");
        }
        return match;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}
