package dev.chorus.validator;

import dev.chorus.chain.WeightsRejected;
import dev.chorus.validator.state.ValidatorState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** Every operator-facing log line of the validator, worded in one place so it can be searched. */
final class ValidatorLog {

    private static final Logger LOG = LoggerFactory.getLogger("chorus.validator");
    /**
     * Less time than this left to score after the miners' timeout is named as the cause of an overdue round: embedding
     * a default sample of answers on a CPU takes a good part of a second (benchmarks/README.md).
     */
    private static final Duration SCORING_ROOM = Duration.ofSeconds(1);

    private ValidatorLog() {
    }

    static void started(String hotkey, int netuid, String mode, String dashboardUrl) {
        LOG.info("validator {} on netuid {} started in {} mode; dashboard on {}/", hotkey, netuid, mode, dashboardUrl);
    }

    static void adminWhileStarting(String adminUrl) {
        LOG.info("admin endpoints on {}/ while the validator starts: /health/ready says what it waits for", adminUrl);
    }

    /** @param reason where the chain is, why it does not answer and what to check, as /health/ready says it */
    static void chainNotReachableYet(String reason, long retryMillis) {
        LOG.warn("{}; retrying in {} ms", reason, retryMillis);
    }

    /** @param why what /health/ready says of the new mode, and so what to do about an observer's */
    static void modeChanged(String from, String to, String why) {
        if (to.startsWith("observer")) {
            LOG.warn("mode changed from {} to {}: weights will not be set until this changes; {}", from, to, why);
        } else {
            LOG.info("mode changed from {} to {}", from, to);
        }
    }

    static void nothingToWeigh(long blocksSinceUpdate) {
        LOG.warn("weights are due ({} blocks since this hotkey's last update on chain) but no miner has a score above 0,"
                + " so none are set: no miner serves yet, or every answer failed or scored 0 (see the round lines above and"
                + " chorus_validator_miner_requests_total)", blocksSinceUpdate);
    }

    static void roundDone(long round, int queried, int answered, Map<String, Integer> failures, long millis) {
        LOG.info("round {}: {}/{} miners answered{} in {} ms", round, answered, queried,
                failures.isEmpty() ? "" : ", failures " + failures, millis);
    }

    /**
     * The deadline holds the wait for miners too, so with {@code rounds.miner_timeout} close to it one slow miner makes
     * a round overdue however fast scoring is: the advice then starts with the timeout, not with scoring.
     */
    static void roundOverdue(long round, Duration took, Duration deadline, Duration minerTimeout) {
        long toScore = deadline.minus(minerTimeout).toMillis();
        String first = toScore < SCORING_ROOM.toMillis()
                ? "lower rounds.miner_timeout first, so that a miner that times out leaves time to score; then, if rounds"
                        + " are still late, "
                : "";
        LOG.warn("round {} took {} ms, past rounds.round_deadline ({} ms); its scores are kept. A round waits up to"
                + " rounds.miner_timeout ({} ms) for its miners, which leaves {} ms to score: {}raise round_deadline and"
                + " period, lower rounds.sample_size, or embed faster (embedding.model: int8, or a GPU)", round,
                took.toMillis(), deadline.toMillis(), minerTimeout.toMillis(), toScore, first);
    }

    static void roundSkipped() {
        LOG.warn("a round due now is skipped (counted as skipped_overlap): the previous round is still running");
    }

    static void noMinerToAsk(int netuid, int registered) {
        LOG.warn("no round runs: no miner to ask on subnet {} ({} uids registered): none without a validator permit"
                + " serves an axon yet. Each round due meanwhile is skipped and counted as skipped_no_miners; rounds"
                + " start once a miner serves (it announces itself with `chorus miner --register` or `chorus chain serve`)",
                netuid, registered);
    }

    static void minersToAsk(long round, int miners) {
        LOG.info("round {}: {} miners to ask; rounds go on", round, miners);
    }

    static void storageFailed(long round, String problem) {
        LOG.error("round {} is scored and its scores are kept in memory, but {}. Fix the folder (permissions, free space):"
                + " until then /health/ready says so, every round tries again, and stopping loses the scores since the last"
                + " save", round, problem);
    }

    /** {@code round} as {@code round 12}, or {@code organic round QUERY_ID}: organic rounds are numbered apart. */
    static void roundNotLogged(String round, String problem) {
        LOG.error("{} is scored and kept, but it is missing from the round log: {}. Fix the folder (permissions, free"
                + " space): until then /health/ready says so and every round tries again", round, problem);
    }

    static void stateNotSaved(String problem) {
        LOG.error("the state could not be saved: {}. Fix the folder (permissions, free space): until then /health/ready"
                + " says so, and stopping loses what changed since the last save", problem);
    }

    static void weightsNotSaved(String id, String problem) {
        LOG.error("weights {}: not sent, as their intent could not be saved first: {}. Fix the folder (permissions, free"
                + " space); the scores are kept and the next submission tries again", id, problem);
    }

    static void weightsSavedAgain(String id, String operation, int count) {
        LOG.info("weights {}: the state folder can be written again; sending {} of {} weights", id, operation, count);
    }

    static void roundFailed(long round, Throwable cause) {
        LOG.error("round {} could not be scored: {}", round, cause.toString());
    }

    static void roundNotStarted(Throwable cause) {
        LOG.error("a round due now could not start (counted as failed): {}; the next round draws another query", cause.toString());
    }

    static void weightsIntended(String id, int count, long block) {
        LOG.info("weights {}: submitting {} weights at block {}", id, count, block);
    }

    static void weightsConfirmed(String id, String operation, String txHash, long block) {
        LOG.info("weights {}: {} accepted on chain in block {} (tx {})", id, operation, block, txHash);
    }

    static void weightsFoundOnChain(String id) {
        LOG.info("weights {} were found on chain though their receipt was not seen; not sending them again", id);
    }

    static void revealFoundOnChain(String id, long block) {
        LOG.info("weights {}: the commit was found revealed on chain by block {} though the reveal's receipt was not seen",
                id, block);
    }

    static void weightsRejected(String id, WeightsRejected rejection, String next) {
        LOG.warn("weights {} rejected: {}; {}", id, rejection.operatorMessage(), next);
    }

    static void commitExpired(String id, long revealEpoch) {
        LOG.warn("weights {}: the commit expired before it could be revealed in epoch {}; committing afresh", id, revealEpoch);
    }

    static void commitLost(String id, String txHash, long block) {
        LOG.warn("weights {}: the commit (tx {}, block {}) is no longer on chain, its block was reorganised away; committing afresh",
                id, txHash, block);
    }

    static void weightsLost(String id, String txHash, long block) {
        LOG.warn("weights {}: no longer on chain (tx {}, block {}), its block was reorganised away; sending weights again",
                id, txHash, block);
    }

    static void weightsNotSent(String id, Throwable cause) {
        LOG.warn("weights {}: {}; the scores are kept and the next submission tries again", id, cause.getMessage());
    }

    static void weightsUnknown(String id, Throwable cause) {
        LOG.warn("weights {}: the chain did not confirm ({}); will check the chain before sending anything again", id, cause.toString());
    }

    static void metagraphNotApplied(long block, Throwable cause) {
        LOG.error("the metagraph read at block {} could not be applied: {}; scores, readiness and weights wait for the next"
                + " sync", block, cause.toString(), cause);
    }

    static void weightsStepFailed(Throwable cause) {
        LOG.error("checking or setting weights failed: {} (logged once while it repeats; retried at every metagraph sync)",
                cause.toString(), cause);
    }

    /** {@code problem} is {@link ChainClients#chainProblem}'s sentence, so the log tells what to check as /health/ready does. */
    static void chainUnreachable(String operation, String problem) {
        LOG.warn("chain call {} failed: {}. Rounds go on with the last metagraph; logged once while it keeps failing this"
                + " way, chorus_chain_rpc_errors_total counts every failure", operation, problem);
    }

    /** A raw key left in the environment is readable wherever that is (/proc, a crash report), for no use. */
    static void privateKeyEnvIgnored(String variable, String variableSetting, String keystoreSetting) {
        LOG.warn("the environment variable {} ({}) holds a key, and {} is set too: the keystore is used and the variable"
                + " ignored; unset {}, so the raw key is not left in this process's environment", variable,
                variableSetting, keystoreSetting, variable);
    }

    static void keystoreReadableByOthers(String keystore, String mode) {
        LOG.warn("{} can be read by other users ({}): whoever reads it can try passwords against it offline. Make it"
                + " readable by the validator's user alone: chmod 600 it", keystore, mode);
    }

    static void chainReachable(long block) {
        LOG.info("the chain answers again (block {})", block);
    }

    static void hotkeyReplaced(int uid, String oldHotkey, String newHotkey) {
        LOG.info("uid {} changed hands ({} -> {}); its score starts again", uid, oldHotkey, newHotkey);
    }

    static void subnetShrank(int netuid, int before, int now) {
        LOG.warn("subnet {} now has {} uids where it had {}: the scores of uids {} and up are dropped. A subnet does not"
                + " shrink on a live chain; check that chain.rpc_url points at the node you expect and that it is in step."
                + " On a local chain that was restarted, the old state belongs to the old chain: stop, and start again"
                + " with a fresh state.dir (the default folder also holds chain up's endpoint file, which the chain"
                + " commands need)", netuid, now, before, now);
    }

    static void privateAxonRefused(int uid, String hotkey, String axon, String range) {
        LOG.warn("uid {} ({}) serves its axon at {}, a {} address: it is not asked, and counts as not serving. An axon"
                + " there would have this validator send requests into its own host or network; on a local chain whose"
                + " miners are all yours, set rounds.allow_private_axons: true (logged once per uid and address;"
                + " chorus_validator_private_axons_refused_total counts every refusal)", uid, hotkey, axon, range);
    }

    static void privateAxonsAllowedOffLoopback() {
        LOG.warn("rounds.allow_private_axons is on while chain.rpc_url is not on this host: any miner of that chain can"
                + " register a private or loopback address and have this validator send requests into its own network."
                + " Leave it off unless every miner on the chain is yours");
    }

    static void plainHttpOffLoopback(String prefix, String host, String secrets) {
        LOG.warn("{}host {} is not loopback and {}tls_cert_file is empty: the {} its requests carry cross the network in"
                + " plain http, readable on the way. Set {}tls_cert_file and {}tls_key_file, or bind {}host to"
                + " 127.0.0.1 behind a TLS proxy on this machine", prefix, host, prefix, secrets, prefix, prefix, prefix);
    }

    static void stateUnusable(String message) {
        LOG.error(message);
    }

    static void stopping() {
        LOG.info("stopping: finishing the rounds and the weights submission in flight, saving state");
    }

    static void stopped(long round) {
        LOG.info("stopped; state saved after round {}", round);
    }

    static void filesNotClosed(String problem) {
        LOG.warn("the state is saved, but the round log or the state folder's lock did not close cleanly: {}", problem);
    }

    static void stoppedUnsaved(String problem) {
        LOG.error("stopped without saving the state: {}", problem);
    }

    static void stateRestored(Path file, long round, int uids, ValidatorState.WeightsRecord lastWeights) {
        LOG.info("state restored from {}: round {}, scores of {} uids, last weights {}", file, round, uids,
                lastWeights == null ? "none yet" : lastWeights.id() + " (" + lastWeights.status() + ")");
    }

    static void organicRoundsLeft(int rounds, Duration waited) {
        LOG.warn("stopping: {} organic round(s) still running after {} ms (organic.max_deadline plus rounds.round_deadline)"
                + " are left unsaved; their scores are lost", rounds, waited.toMillis());
    }

    static void weightsLeftPending(Duration waited) {
        LOG.warn("stopping: the weights transaction in flight was not confirmed within {} ms (chain.receipt_timeout); its"
                + " intent is saved, and the next start finds out whether it landed", waited.toMillis());
    }

    static void publicQuestions() {
        LOG.warn("rounds.query_set is not set, so rounds ask the built-in corpus, whose questions and reference answers ship"
                + " with the miner SDK: a miner can look its answers up instead of running a model. On a real subnet give"
                + " rounds.query_set a private question set");
    }
}
