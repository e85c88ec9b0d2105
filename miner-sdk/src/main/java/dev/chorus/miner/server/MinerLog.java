package dev.chorus.miner.server;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every operator-facing log line of the miner server, so wording stays consistent and searchable. */
final class MinerLog {

    private static final Logger LOG = LoggerFactory.getLogger("dev.chorus.miner");

    private MinerLog() {
    }

    static void started(String hotkey, int netuid, String host, int port) {
        LOG.info("miner {} serving subnet {} on {}:{}", hotkey, netuid, host, port);
    }

    static void idleLimitBelowValidators(Duration headerReadTimeout, Duration validatorsIdle) {
        LOG.warn("server.header_read_timeout ({} s) is also how long an idle connection stays open, and validators keep"
                + " theirs for {} s: this miner closes them first, and a query a validator sends on one as it closes is"
                + " lost and costs this miner score. Set it above {} s (default 30s)", headerReadTimeout.toMillis() / 1000.0,
                validatorsIdle.toSeconds(), validatorsIdle.toSeconds());
    }

    static void metagraphUnavailable(String error, double ageSeconds) {
        if (Double.isNaN(ageSeconds)) {
            LOG.warn("metagraph read failed and none is cached; refusing queries until it loads: {}", error);
        } else {
            LOG.warn("metagraph read failed; serving from the copy read {} s ago: {}", Math.round(ageSeconds), error);
        }
    }

    static void metagraphRecovered() {
        LOG.info("metagraph read succeeded again");
    }

    static void noLongerRegistered(String hotkey, int netuid) {
        LOG.warn("hotkey {} is no longer registered on subnet {} (replaced by a newer registration, or the chain was"
                + " reset); validators will not query this miner until it registers again: restart it with --register"
                + " (chorus miner --register)", hotkey, netuid);
    }

    static void registeredAgain(String hotkey, int netuid, int uid) {
        LOG.info("hotkey {} is registered on subnet {} again, as uid {}", hotkey, netuid, uid);
    }

    static void holdsValidatorPermit(String hotkey, int netuid, int uid) {
        LOG.warn("hotkey {} holds a validator permit on subnet {} (uid {}), so validators will not send it queries:"
                + " they ask only uids without a permit. A validator's key, the subnet owner's and a key with enough stake"
                + " on it all hold one: run the miner with an unstaked key of its own", hotkey, netuid, uid);
    }

    static void minerFailed(String queryId, Throwable cause) {
        // Only closing the server interrupts its handler threads, so an interrupted handler is a query cut short
        // by a stop the operator asked for, not a fault of the model.
        if (cause instanceof InterruptedException) {
            LOG.info("miner handler for query {} interrupted: the server is stopping", queryId);
        } else {
            LOG.warn("miner handler failed on query {}: {}", queryId, String.valueOf(cause));
        }
    }

    static void handlerNotStarted(Throwable cause) {
        LOG.warn("a query could not be handed to the miner ({}); it was refused and its slot freed", String.valueOf(cause));
    }

    static void answerUnsigned(Throwable cause) {
        LOG.warn("an answer could not be signed ({}); its connection was closed", cause.toString());
    }

    static void stopped(String hotkey) {
        LOG.info("miner {} stopped", hotkey);
    }
}
