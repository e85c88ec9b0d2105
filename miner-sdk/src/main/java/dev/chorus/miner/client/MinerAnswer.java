package dev.chorus.miner.client;

import dev.chorus.miner.protocol.QueryResponse;

import java.time.Duration;
import java.util.regex.Pattern;

/** What one miner did with one query: an authenticated answer, or the kind of failure. */
public sealed interface MinerAnswer {

    Pattern REFUSAL_CODE = Pattern.compile("[A-Z][A-Z0-9_]{0,47}");

    int uid();

    Duration latency();

    static MinerAnswer ok(int uid, QueryResponse response, Duration latency) {
        return new Ok(uid, response, latency);
    }

    static MinerAnswer failed(int uid, Failure failure, String detail, Duration latency) {
        return new Failed(uid, failure, "", detail, latency);
    }

    /**
     * The miner answered {@code status} with an error document whose code is {@code code} and whose text for logs is
     * {@code text}. The code is kept only when it has the shape of the protocol's codes (PROTOCOL.md): the miner
     * chooses it, and operators' logs group failures by it.
     */
    static MinerAnswer refused(int uid, int status, String code, String text, Duration latency) {
        String kept = REFUSAL_CODE.matcher(code).matches() ? code : "";
        return new Failed(uid, Failure.HTTP_STATUS, kept, status + " " + text, latency);
    }

    /** A response signed by the hotkey registered at {@code uid}, for this validator and this query. */
    record Ok(int uid, QueryResponse response, Duration latency) implements MinerAnswer {
        public String answer() {
            return response.answer();
        }
    }

    /**
     * No usable answer.
     *
     * @param refusal the miner's refusal code (e.g. {@code NO_VALIDATOR_PERMIT}) when it refused with one, else empty
     * @param detail  one line for logs (for HTTP_STATUS: status, code and reason)
     */
    record Failed(int uid, Failure failure, String refusal, String detail, Duration latency) implements MinerAnswer {

        /** The failure as logs count it: its kind, and for a refusal the miner's code, e.g. {@code HTTP_STATUS NO_VALIDATOR_PERMIT}. */
        public String kind() {
            return refusal.isEmpty() ? failure.name() : failure.name() + " " + refusal;
        }
    }

    /** Why a miner produced no usable answer; validators count failures by this kind. */
    enum Failure {
        /** The neuron has no axon served, or its hotkey or address is unusable. */
        NOT_SERVING,
        /** The connection was refused or could not be made. */
        REFUSED,
        /** The connection broke before a whole response arrived. */
        CONNECTION_LOST,
        /** No whole response before the query's deadline. */
        TIMEOUT,
        /** The miner answered with a status other than 200 (it refused the query or failed). */
        HTTP_STATUS,
        /** The response exceeded the byte cap. */
        OVERSIZE,
        /** The response was unsigned, or not signed by the uid's hotkey for this validator and query. */
        BAD_SIGNATURE,
        /** The response body was not a valid answer to this query. */
        MALFORMED
    }
}
