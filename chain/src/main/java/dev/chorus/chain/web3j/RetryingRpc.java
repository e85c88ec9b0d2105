package dev.chorus.chain.web3j;

import dev.chorus.chain.ChainException;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import java.io.IOException;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.exceptions.ClientConnectionException;

/**
 * Sends JSON-RPC requests, retrying with doubling backoff only what is worth retrying: transport
 * failures (connection refused, timeouts, HTTP 5xx/429) and the "try later" error codes. Any other
 * error, a revert above all, is handed back at once, and so is an HTTP 4xx other than 429 (a wrong URL or
 * a refused API key does not heal by waiting). The pause between attempts doubles up to the HTTP timeout, so
 * twenty retries wait minutes, not days.
 */
final class RetryingRpc {

    private static final Logger LOG = LoggerFactory.getLogger(RetryingRpc.class);
    /** JSON-RPC error codes that mean "try again": limit exceeded, resource unavailable, rate limited. */
    private static final Set<Integer> TRANSIENT_CODES = Set.of(-32005, -32002, 429);
    private static final Pattern HTTP_STATUS = Pattern.compile("Invalid response received: (\\d{3})");

    private final ClientOptions options;

    RetryingRpc(ClientOptions options) {
        this.options = options;
    }

    /** The response, or a {@link ChainException} if the node answered with an error. */
    <T extends Response<?>> T send(String method, Request<?, T> request) {
        T response = sendAllowingError(method, request);
        if (response.hasError()) {
            throw new ChainException(method + " failed: " + response.getError().getCode() + " " + response.getError().getMessage());
        }
        return response;
    }

    /** The response, error included; only transient failures are retried. */
    <T extends Response<?>> T sendAllowingError(String method, Request<?, T> request) {
        long backoff = options.retryBackoff().toMillis();
        for (int attempt = 1; ; attempt++) {
            String problem;
            Exception cause = null;
            try {
                T response = request.send();
                if (!response.hasError() || !TRANSIENT_CODES.contains(response.getError().getCode())) {
                    return response;
                }
                problem = "error " + response.getError().getCode() + " " + response.getError().getMessage();
            } catch (IOException | ClientConnectionException e) {
                if (e instanceof JsonParseException && !(e instanceof JsonEOFException)) {
                    throw notJsonRpc(method, e);
                }
                problem = e.getMessage();
                cause = e;
                int status = httpStatus(problem);
                if (status >= 400 && status < 500 && status != 429) {
                    throw new ChainException(method + " failed: the node answered HTTP " + status
                            + "; check chain.rpc_url (and any API key in it)", e);
                }
            }
            if (attempt >= options.rpcAttempts()) {
                throw new ChainException(method + " failed after " + attempt + " attempts: " + problem, cause);
            }
            LOG.debug("{} attempt {} failed ({}), retrying in {} ms", method, attempt, problem, backoff);
            pause(backoff);
            backoff = Math.min(backoff * 2, Math.max(options.retryBackoff().toMillis(), options.httpTimeout().toMillis()));
        }
    }

    /**
     * An answer that is not JSON at all (a web page, another service) does not heal by waiting, and the parser's own
     * words ("Unexpected character ('<' (code 60))") do not say what to fix. Not caused by an IOException, so that a
     * validator's start stops here instead of waiting for a node to come up.
     */
    private static ChainException notJsonRpc(String method, Exception parseFailure) {
        ChainException failure = new ChainException(method + " failed: the node answered with something that is not"
                + " JSON, such as a web page; check that chain.rpc_url (--rpc-url) is the node's JSON-RPC endpoint");
        failure.addSuppressed(parseFailure);
        return failure;
    }

    /** web3j's HttpService reports a non-2xx answer as "Invalid response received: CODE; BODY"; -1 otherwise. */
    static int httpStatus(String message) {
        if (message == null) {
            return -1;
        }
        Matcher m = HTTP_STATUS.matcher(message);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChainException("interrupted while waiting on the chain", e);
        }
    }
}
