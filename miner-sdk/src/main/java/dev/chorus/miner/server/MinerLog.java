package dev.chorus.miner.server;

import dev.chorus.config.IpLiteral;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every operator-facing log line of the miner server, so wording stays consistent and searchable. */
final class MinerLog {

    private static final Logger LOG = LoggerFactory.getLogger("dev.chorus.miner");

    private MinerLog() {
    }

    static void started(String hotkey, int netuid, String host, int port) {
        LOG.info("miner {} serving subnet {} on {}", hotkey, netuid, IpLiteral.withPort(host, port));
    }

    static void idleLimitBelowValidators(Duration headerReadTimeout, Duration validatorsIdle) {
        LOG.warn("server.header_read_timeout ({} s) is also how long an idle connection stays open, and validators keep"
                + " theirs for {} s: this miner closes them first, and a query a validator sends on one as it closes is"
                + " lost and costs this miner score. Set it above {} s (default 30s)", headerReadTimeout.toMillis() / 1000.0,
                validatorsIdle.toSeconds(), validatorsIdle.toSeconds());
    }

    /** The failure's own message where it has one: its class name tells an operator nothing to act on. */
    static void metagraphUnavailable(Throwable failure, double ageSeconds) {
        String error = failure.getMessage() != null ? failure.getMessage() : failure.toString();
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

    static void notRegistered(String hotkey, int netuid, int port) {
        LOG.warn("hotkey {} has no uid on subnet {}, so no validator will query this miner, however ready it is:"
                + " register it and announce this server's address (chorus miner --register, or `chorus chain register`"
                + " then `chorus chain serve --host <public address> --port {}` with this key)", hotkey, netuid, port);
    }

    static void noAxonAnnounced(String hotkey, int netuid, int uid, int port) {
        LOG.warn("hotkey {} is uid {} on subnet {} but has announced no axon, so no validator knows where to query this"
                + " miner: announce this server's address (chorus miner --register, or `chorus chain serve --host"
                + " <public address> --port {}` with this key)", hotkey, uid, netuid, port);
    }

    static void registeredAgain(String hotkey, int netuid, int uid) {
        LOG.info("hotkey {} is registered on subnet {} again, as uid {}", hotkey, netuid, uid);
    }

    static void holdsValidatorPermit(String hotkey, int netuid, int uid) {
        LOG.warn("hotkey {} holds a validator permit on subnet {} (uid {}), so validators will not send it queries:"
                + " they ask only uids without a permit. A validator's key, the subnet owner's and a key with enough stake"
                + " on it all hold one: run the miner with an unstaked key of its own", hotkey, netuid, uid);
    }

    static void minerFailed(String queryId, Throwable cause, boolean withStackTrace) {
        // Only closing the server interrupts its handler threads, so an interrupted handler is a query cut short
        // by a stop the operator asked for, not a fault of the model.
        if (cause instanceof InterruptedException) {
            LOG.info("miner handler for query {} interrupted: the server is stopping", queryId);
        } else if (withStackTrace) {
            LOG.warn("miner handler failed on query {}: {} (its stack trace follows; a later failure thrown at the same"
                    + " place gets this line alone)", queryId, String.valueOf(cause), cause);
        } else {
            LOG.warn("miner handler failed on query {}: {}", queryId, String.valueOf(cause));
        }
    }

    static void emptyAnswer(String queryId) {
        LOG.warn("the miner gave query {} an empty answer, which validators pay 0 (penalty EMPTY): return the model's"
                + " answer text", queryId);
    }

    static void answerTooLarge(String queryId, int bytes, int validatorsMaxBytes) {
        LOG.warn("the answer to query {} is {} bytes, more than the {} bytes validators read by default"
                + " (rounds.max_response_bytes): they refuse it unread (OVERSIZE) and pay nothing; shorten the model's"
                + " answers", queryId, bytes, validatorsMaxBytes);
    }

    static void handlerNotStarted(Throwable cause) {
        LOG.warn("a query could not be handed to the miner ({}); it was refused and its slot freed", String.valueOf(cause));
    }

    /** Not a warning: a close lets handlers finish only while their validators wait, and one that hung up is gone. */
    static void answerAfterClose(String queryId) {
        LOG.info("the answer to query {} was ready after the server had closed and was dropped", queryId);
    }

    static void answerUnsigned(String queryId, Throwable cause) {
        LOG.warn("the answer to query {} could not be signed ({}); its connection was closed", queryId, cause.toString());
    }

    static void refused(Rejection reason, String detail, long unloggedSince) {
        String more = unloggedSince == 0 ? "" : " (and " + unloggedSince + " more since the last such line)";
        String fix = switch (reason) {
            case UNKNOWN_SIGNER -> "this miner answers only validators registered on its subnet; if the validator is"
                    + " yours, register its hotkey (chorus chain register), stake it for a validator permit (chorus chain"
                    + " stake) and wait for the next metagraph read";
            case NO_VALIDATOR_PERMIT, STAKE_TOO_LOW -> "this miner answers only registered validators with a permit"
                    + " (server.require_validator_permit) and at least server.min_validator_stake; if the validator is"
                    + " yours, stake its hotkey (chorus chain stake) and wait for the next metagraph read";
            case WRONG_RECEIVER -> "a validator took this address for another hotkey's axon; announce it with this"
                    + " miner's hotkey (--register, or serveAxon) and give every miner a port of its own";
            case WRONG_NETUID -> "a validator of another subnet asks this address; set the miner's netuid to the subnet"
                    + " it announced its axon on";
            case STALE_TIMESTAMP, FUTURE_TIMESTAMP -> "when queries that validators just signed get this, this host's"
                    + " clock is out of step by more than server.timestamp_window: keep it in sync (NTP)";
            case DEADLINE_EXCEEDED -> "the model, or the wait for one of server.max_concurrency handler slots,"
                    + " took longer than the validator allows (its rounds.miner_timeout, 8 s by default) or"
                    + " server.max_handler_time: a late answer earns nothing, so answer faster";
            default -> "see PROTOCOL.md section 5";
        };
        LOG.warn("refused a query with {}: {}{}; {}", reason, detail, more, fix);
    }

    static void stopped(String hotkey) {
        LOG.info("miner {} stopped", hotkey);
    }
}
