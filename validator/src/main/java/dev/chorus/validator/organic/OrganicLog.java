package dev.chorus.validator.organic;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The organic front door's operator-facing log lines, worded in one place. */
final class OrganicLog {

    private static final Logger LOG = LoggerFactory.getLogger("dev.chorus.validator.organic");

    private OrganicLog() {
    }

    static void listening(String url, int keys) {
        LOG.info("organic queries: listening on {} (POST /v1/ask, POST /v1/chat/completions), {} API key(s)", url, keys);
    }

    static void recordFailed(String id, Exception e) {
        LOG.warn("organic round {}: could not update the score book: {}", id, e.toString());
    }

    static void requestFailed(String path, Throwable e) {
        LOG.warn("organic request {} failed inside the validator: {}", path, e.toString(), e);
    }
}
