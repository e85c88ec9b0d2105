package dev.chorus.miner.client;

import dev.chorus.miner.protocol.QueryResponse;

import java.time.Duration;

/** What one miner did with one query: an authenticated answer, or the kind of failure. */
public sealed interface MinerAnswer {

    int uid();

    Duration latency();

    static MinerAnswer ok(int uid, QueryResponse response, Duration latency) {
        return new Ok(uid, response, latency);
    }

    static MinerAnswer failed(int uid, Failure failure, String detail, Duration latency) {
        return new Failed(uid, failure, detail, latency);
    }

    /** A response signed by the hotkey registered at {@code uid}, for this validator and this query. */
    record Ok(int uid, QueryResponse response, Duration latency) implements MinerAnswer {
        public String answer() {
            return response.answer();
        }
    }

    /** No usable answer; {@code detail} is one line for logs (for HTTP_STATUS: status, code and reason). */
    record Failed(int uid, Failure failure, String detail, Duration latency) implements MinerAnswer {
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
