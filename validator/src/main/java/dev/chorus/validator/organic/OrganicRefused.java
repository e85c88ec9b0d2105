package dev.chorus.validator.organic;

/**
 * An organic request that is refused, with the reason that picks its HTTP status and a sentence saying what was
 * wrong and what to do. Thrown by parsing and admission; turned into an error response in one place.
 */
public final class OrganicRefused extends RuntimeException {

    /** Why a request was refused; each maps to one HTTP status and one OpenAI-style error code. */
    public enum Reason {
        BAD_KEY(401, "invalid_api_key"),
        RATE_LIMITED(429, "rate_limit_exceeded"),
        TOO_MANY_IN_FLIGHT(429, "too_many_concurrent_requests"),
        BUDGET_SPENT(429, "organic_budget_spent"),
        TOO_LARGE(413, "request_too_large"),
        BAD_REQUEST(400, "invalid_request"),
        NOT_FOUND(404, "not_found"),
        METHOD_NOT_ALLOWED(405, "method_not_allowed"),
        NO_MINERS(503, "no_miners_serving"),
        NO_USABLE_ANSWER(503, "no_usable_answer");

        private final int status;
        private final String code;

        Reason(int status, String code) {
            this.status = status;
            this.code = code;
        }

        public int status() {
            return status;
        }

        public String code() {
            return code;
        }

        /** The metrics label: the reason in lower case. */
        public String outcome() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Reason reason;
    private final long retryAfterSeconds;

    public OrganicRefused(Reason reason, String message) {
        this(reason, message, 0);
    }

    public OrganicRefused(Reason reason, String message, long retryAfterSeconds) {
        super(message);
        this.reason = reason;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public Reason reason() {
        return reason;
    }

    /** Seconds the client should wait before retrying; 0 when a retry would not help by waiting. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
