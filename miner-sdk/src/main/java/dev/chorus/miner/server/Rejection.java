package dev.chorus.miner.server;

/**
 * Every reason the miner refuses a query, with its HTTP status. The codes are part of the protocol
 * (PROTOCOL.md lists them); the validator counts failures by code.
 */
public enum Rejection {
    MISSING_HEADER(400),
    UNSUPPORTED_VERSION(400),
    MALFORMED_HEADER(400),
    BODY_TOO_LARGE(413),
    BODY_TOO_SLOW(408),
    STALE_TIMESTAMP(401),
    FUTURE_TIMESTAMP(401),
    WRONG_RECEIVER(421),
    UNKNOWN_SIGNER(403),
    NO_VALIDATOR_PERMIT(403),
    STAKE_TOO_LOW(403),
    REPLAYED_UUID(409),
    EMPTY_SIGNATURE(401),
    MALFORMED_SIGNATURE(401),
    BAD_SIGNATURE(401),
    MALFORMED_BODY(400),
    WRONG_NETUID(400),
    RATE_LIMITED(429),
    BUSY(503),
    METAGRAPH_UNAVAILABLE(503),
    REPLAY_CACHE_FULL(503),
    DEADLINE_EXCEEDED(504),
    MINER_FAILED(500),
    NOT_FOUND(404),
    METHOD_NOT_ALLOWED(405);

    private final int status;

    Rejection(int status) {
        this.status = status;
    }

    public int status() {
        return status;
    }
}
