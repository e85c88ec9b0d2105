package dev.chorus.miner.server;

import dev.chorus.chain.Metagraph;
import dev.chorus.chain.Neuron;
import dev.chorus.config.MinerServerSettings;
import dev.chorus.miner.protocol.CanonicalJson;
import dev.chorus.miner.protocol.Epistula;
import dev.chorus.miner.protocol.EpistulaHeaders;
import dev.chorus.miner.protocol.MalformedMessageException;
import dev.chorus.miner.protocol.QueryRequest;

import java.math.BigInteger;
import java.time.InstantSource;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The authentication checks, cheapest first. {@link #checkHeaders} runs before a byte of the body
 * is read; {@link #checkSignature} verifies the signature over the raw body, {@link #checkStillFresh}
 * repeats the timestamp and replay checks, and only then (and once the signer's rate limit let the query
 * through) does {@link #checkBody} record the uuid, so unauthenticated traffic can neither fill the
 * replay cache nor reach the handler.
 */
final class RequestGate {

    /** A request whose headers passed, with the signer as the metagraph knows it. */
    record Admitted(EpistulaHeaders headers, Neuron signer) {
    }

    private static final List<String> REQUIRED = List.of(EpistulaHeaders.VERSION, EpistulaHeaders.TIMESTAMP,
            EpistulaHeaders.UUID, EpistulaHeaders.SIGNED_BY, EpistulaHeaders.SIGNED_FOR,
            EpistulaHeaders.REQUEST_SIGNATURE);

    private final String self;
    private final int netuid;
    private final MinerServerSettings options;
    private final MetagraphCache metagraph;
    private final ReplayCache replay;
    private final InstantSource clock;

    RequestGate(String selfAddress, int netuid, MinerServerSettings options, MetagraphCache metagraph,
                ReplayCache replay, InstantSource clock) {
        this.self = selfAddress.toLowerCase(Locale.ROOT);
        this.netuid = netuid;
        this.options = options;
        this.metagraph = metagraph;
        this.replay = replay;
        this.clock = clock;
    }

    /**
     * Steps 1 to 6: headers present and well formed, declared size, timestamp window, receiver,
     * signer's standing in the metagraph, uuid unseen.
     *
     * @param declaredLength the Content-Length, or -1 when the body is chunked
     */
    Admitted checkHeaders(Function<String, String> header, long declaredLength) {
        for (String name : REQUIRED) {
            if (header.apply(name) == null) {
                throw new RefusedException(Rejection.MISSING_HEADER, "missing header " + name);
            }
        }
        String version = header.apply(EpistulaHeaders.VERSION);
        if (!Epistula.PROTOCOL_VERSION.equals(version)) {
            throw new RefusedException(Rejection.UNSUPPORTED_VERSION,
                    "Epistula-Version " + abbreviate(version) + " is not supported; send " + Epistula.PROTOCOL_VERSION);
        }
        String signature = header.apply(EpistulaHeaders.REQUEST_SIGNATURE);
        if (signature.isBlank()) {
            throw new RefusedException(Rejection.EMPTY_SIGNATURE, "empty signature");
        }
        long timestamp = parseTimestamp(header.apply(EpistulaHeaders.TIMESTAMP));
        String uuid = header.apply(EpistulaHeaders.UUID);
        if (!Epistula.isUuid(uuid)) {
            throw new RefusedException(Rejection.MALFORMED_HEADER, "Epistula-Uuid is not a lower-case UUID");
        }
        String signedBy = header.apply(EpistulaHeaders.SIGNED_BY);
        String signedFor = header.apply(EpistulaHeaders.SIGNED_FOR);
        if (!Epistula.isAddress(signedBy) || !Epistula.isAddress(signedFor)) {
            throw new RefusedException(Rejection.MALFORMED_HEADER,
                    "Epistula-Signed-By and Epistula-Signed-For must be 0x followed by 40 hex digits");
        }

        if (declaredLength > options.maxBodyBytes()) {
            throw new RefusedException(Rejection.BODY_TOO_LARGE,
                    "body of " + declaredLength + " bytes exceeds the " + options.maxBodyBytes() + " byte limit");
        }

        long now = clock.millis();
        checkNotStale(timestamp, now);
        long window = options.timestampWindow().toMillis();
        if (timestamp - now > window) {
            throw new RefusedException(Rejection.FUTURE_TIMESTAMP,
                    "timestamp is " + (timestamp - now) + " ms in the future; the window is " + window + " ms");
        }

        if (!self.equalsIgnoreCase(signedFor)) {
            throw new RefusedException(Rejection.WRONG_RECEIVER, "signed for " + signedFor.toLowerCase(Locale.ROOT)
                    + ", not this miner " + self);
        }

        Metagraph graph = metagraph.current();
        Neuron signer = graph.byHotkey(signedBy).orElseThrow(() -> new RefusedException(
                Rejection.UNKNOWN_SIGNER, "signer " + signedBy.toLowerCase(Locale.ROOT) + " is not registered on subnet "
                        + graph.netuid()));
        if (options.requireValidatorPermit() && !signer.validatorPermit()) {
            throw new RefusedException(Rejection.NO_VALIDATOR_PERMIT,
                    "signer (uid " + signer.uid() + ") has no validator permit");
        }
        if (signer.stake().compareTo(BigInteger.valueOf(options.minValidatorStake())) < 0) {
            throw new RefusedException(Rejection.STAKE_TOO_LOW, "signer (uid " + signer.uid() + ") stake "
                    + signer.stake() + " is below the minimum " + options.minValidatorStake());
        }

        String normalizedSigner = signedBy.toLowerCase(Locale.ROOT);
        if (replay.seen(normalizedSigner, uuid, now)) {
            throw new RefusedException(Rejection.REPLAYED_UUID, "uuid already used by this signer");
        }
        EpistulaHeaders headers = new EpistulaHeaders(version, timestamp, uuid, normalizedSigner,
                signedFor.toLowerCase(Locale.ROOT), signature);
        return new Admitted(headers, signer);
    }

    /** Step 8, the costly one (a public-key recovery): the signature over the raw body. Safe on any thread. */
    void checkSignature(Admitted admitted, byte[] body) {
        EpistulaHeaders h = admitted.headers();
        String recovered;
        try {
            recovered = Epistula.recoverSigner(Epistula.message(body, h.uuid(), h.timestamp(), h.signedFor()),
                    h.signature());
        } catch (MalformedMessageException e) {
            throw new RefusedException(Rejection.MALFORMED_SIGNATURE, e.getMessage());
        }
        if (!recovered.equals(h.signedBy())) {
            throw new RefusedException(Rejection.BAD_SIGNATURE, "signature does not match Epistula-Signed-By");
        }
    }

    /**
     * Step 9, before the signer's rate limit is charged: steps 3 and 6 again, now that the body is in. The head was
     * checked up to {@code server.body_read_timeout} ago; since then the timestamp may have aged out of the window, or
     * a copy of this request may have been recorded.
     */
    void checkStillFresh(Admitted admitted) {
        EpistulaHeaders h = admitted.headers();
        long now = clock.millis();
        checkNotStale(h.timestamp(), now);
        if (replay.seen(h.signedBy(), h.uuid(), now)) {
            throw new RefusedException(Rejection.REPLAYED_UUID, "uuid already used by this signer");
        }
    }

    /**
     * Steps 10 and 11, once the signature verified: uuid recorded, body parsed and matched to this subnet. A uuid is
     * recorded only inside its timestamp's window, and kept a full window from then, so that no copy can arrive once
     * the cache has forgotten it and still pass the timestamp check.
     */
    QueryRequest checkBody(Admitted admitted, byte[] body) {
        EpistulaHeaders h = admitted.headers();
        long now = clock.millis();
        checkNotStale(h.timestamp(), now);
        long expiry = Math.max(h.timestamp(), now) + options.timestampWindow().toMillis();
        if (!replay.remember(h.signedBy(), h.uuid(), expiry, now)) {
            throw new RefusedException(Rejection.REPLAYED_UUID, "uuid already used by this signer");
        }
        QueryRequest query;
        try {
            query = CanonicalJson.read(body, QueryRequest.class);
        } catch (MalformedMessageException e) {
            throw new RefusedException(Rejection.MALFORMED_BODY, e.getMessage());
        }
        if (query.version() != QueryRequest.VERSION) {
            throw new RefusedException(Rejection.UNSUPPORTED_VERSION,
                    "body version " + query.version() + " is not supported; send " + QueryRequest.VERSION);
        }
        if (query.netuid() != netuid) {
            throw new RefusedException(Rejection.WRONG_NETUID,
                    "query is for subnet " + query.netuid() + ", this miner serves " + netuid);
        }
        if (query.deadline() <= h.timestamp()) {
            throw new RefusedException(Rejection.MALFORMED_BODY, "deadline is not after Epistula-Timestamp");
        }
        return query;
    }

    private void checkNotStale(long timestamp, long now) {
        long window = options.timestampWindow().toMillis();
        if (now - timestamp > window) {
            throw new RefusedException(Rejection.STALE_TIMESTAMP,
                    "timestamp is " + (now - timestamp) + " ms old; the window is " + window + " ms");
        }
    }

    private static long parseTimestamp(String text) {
        if (!text.matches("[0-9]{1,15}")) {
            throw new RefusedException(Rejection.MALFORMED_HEADER,
                    "Epistula-Timestamp must be unix milliseconds in decimal digits");
        }
        return Long.parseLong(text);
    }

    private static String abbreviate(String text) {
        String quoted = "\"" + text + "\"";
        return quoted.length() > 24 ? quoted.substring(0, 20) + "...\"" : quoted;
    }
}
