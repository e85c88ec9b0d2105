package dev.chorus.validator;

import dev.chorus.chain.Metagraph;
import dev.chorus.chain.Neuron;
import dev.chorus.config.RoundSettings;
import dev.chorus.miner.client.MinerAnswer;
import dev.chorus.miner.client.MinerClient;
import dev.chorus.miner.protocol.QueryRequest;
import dev.chorus.miner.scored.RoundAnswers;
import dev.chorus.scoring.book.ScoreBook;
import dev.chorus.scoring.consensus.MinerScore;
import dev.chorus.scoring.consensus.Round;
import dev.chorus.scoring.consensus.RoundAnswer;
import dev.chorus.scoring.consensus.RoundScorer;
import dev.chorus.scoring.consensus.RoundScores;
import dev.chorus.validator.state.RoundRecord;
import dev.chorus.validator.state.ValidatorState;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The scored rounds this validator asks of its own accord: one at a time, each draws a sample of miners and a query
 * with a reference answer, asks them, scores the answers against the consensus and the reference, moves the score book,
 * saves the state and appends the round to the round log. It keeps the round count and what the rounds found of each
 * uid (last reward, failures, the score history) for the state file and the status document.
 * <p>
 * A round starts and ends on the service's event loop (its timer, or {@code runRound}), scoring runs on the scoring
 * pool and recording on the disk pool, so the book, the state file and the round log change together in one place.
 */
final class SyntheticRounds {

    /** What the rounds are built from, fixed for the service's life. */
    record Parts(Vertx vertx, RoundSettings settings, int historyRounds, int netuid, String hotkey, MinerClient miners,
                 RoundScorer scorer, QuerySource queries, Random random, ValidatorMetrics metrics) {
    }

    /** What the service knows now, read on its event loop (the book also on the disk pool, where a round is recorded). */
    interface View {
        /** The last metagraph synced; null before the first sync. */
        Metagraph metagraph();

        long block();

        boolean stopping();

        ScoreBook book();
    }

    private final Vertx vertx;
    private final RoundSettings settings;
    private final int historyRounds;
    private final int netuid;
    private final String hotkey;
    private final MinerClient miners;
    private final RoundScorer scorer;
    private final QuerySource queries;
    private final MinerSampler sampler;
    private final ValidatorMetrics metrics;
    private final WorkerExecutor scoringPool;
    private final WorkerExecutor diskPool;
    private final StateFolder folder;
    private final View view;

    /**
     * The number of the last round run. Written on the disk pool as a round is recorded, so that the state saved with
     * its scores counts it, and on the event loop as it ends, so that a failed round keeps its number too; the two
     * writes of a round are ordered by its future and rounds never overlap. Read from any thread.
     */
    private volatile long lastNumber;
    private boolean inFlight;
    /** Completes as the round in flight ends. */
    private Promise<Void> roundDone;
    /** A round found no miner to ask; reported once until one appears. */
    private boolean reportedNoMiners;
    /** Before the first round of this process all scores of a fresh book are 0, and that is no cause for alarm. */
    private volatile boolean recordedSinceStart;
    /** Each uid's last reward: written on the event loop, read by state saves on the disk pool. */
    private final Map<Integer, Double> lastReward = new ConcurrentSkipListMap<>();
    private final Map<Integer, Integer> failures = new ConcurrentSkipListMap<>();
    /** The score history's points, oldest first; on the event loop only. */
    private final List<Map<String, Object>> history = new ArrayList<>();

    SyntheticRounds(Parts parts, WorkerExecutor scoringPool, WorkerExecutor diskPool, StateFolder folder, View view) {
        this.vertx = parts.vertx();
        this.settings = parts.settings();
        this.historyRounds = parts.historyRounds();
        this.netuid = parts.netuid();
        this.hotkey = parts.hotkey();
        this.miners = parts.miners();
        this.scorer = parts.scorer();
        this.queries = parts.queries();
        this.sampler = new MinerSampler(settings.sampleSize(), settings.onePerIp(), parts.random());
        this.metrics = parts.metrics();
        this.scoringPool = scoringPool;
        this.diskPool = diskPool;
        this.folder = folder;
        this.view = view;
    }

    /** Takes up the round count and last rewards of a state file loaded at start. */
    void restore(long number, List<ValidatorState.ScoreEntry> scores) {
        lastNumber = number;
        scores.forEach(s -> lastReward.put(s.uid(), s.lastReward()));
    }

    /**
     * Numbers the rounds on from the newest one in the round log, where it is ahead of the state file's count: the
     * state file was lost (deleted, or damaged and set aside), or an older copy was put back.
     */
    void numberOnFrom(long lastLogged) {
        lastNumber = Math.max(lastNumber, lastLogged);
    }

    /** Rounds run (scored or failed) over the life of the state folder: the number of the last one. */
    long lastNumber() {
        return lastNumber;
    }

    /** Whether this process has recorded a round. */
    boolean recordedSinceStart() {
        return recordedSinceStart;
    }

    /** {@code uid}'s last reward, 0 when it has none. */
    double lastReward(int uid) {
        return lastReward.getOrDefault(uid, 0.0);
    }

    /** A uid that changed hands: its new owner starts without the old owner's reward and failures. */
    void forget(int uid) {
        lastReward.remove(uid);
        failures.remove(uid);
    }

    /** The rounds' part of the status document. */
    StatusDocument.Rounds counts() {
        return new StatusDocument.Rounds(lastNumber, inFlight, metrics.roundsSinceStart());
    }

    /** What the rounds found of each uid, with the book's scores, for the status document on the event loop. */
    StatusDocument.Tallies tallies() {
        return new StatusDocument.Tallies(uid -> view.book().score(uid), lastReward, failures);
    }

    /** The score history's points, oldest first, for the status document on the event loop, which copies them. */
    List<Map<String, Object>> history() {
        return history;
    }

    /** Completes as the round in flight ends, however it ends; at once when none is. */
    Future<Void> inFlightEnded() {
        return inFlight && roundDone != null ? roundDone.future().recover(e -> Future.succeededFuture())
                : Future.succeededFuture();
    }

    /**
     * Starts a round now and completes when it is recorded (fails if it failed). Fails at once when a round is in
     * flight, the service is stopping, or there is no miner to ask.
     */
    Future<Void> runNow() {
        if (inFlight || !start()) {
            return Future.failedFuture(new IllegalStateException(inFlight ? "a round is already in flight"
                    : "no round started: stopping, not synced with the chain, no miner to ask, or the query"
                    + " could not be sent (the log says why)"));
        }
        return roundDone.future();
    }

    /** Starts a round unless one is in flight or there is nothing to ask; returns whether it started. */
    boolean start() {
        if (view.stopping()) {
            return false;
        }
        if (inFlight) {
            metrics.round("skipped_overlap", null);
            ValidatorLog.roundSkipped();
            return false;
        }
        Metagraph metagraph = view.metagraph();
        if (metagraph == null) {
            return false;
        }
        List<Neuron> sample = sampler.sample(metagraph, hotkey);
        if (sample.isEmpty()) {
            metrics.round("skipped_no_miners", null);
            if (!reportedNoMiners) {
                ValidatorLog.noMinerToAsk(netuid, metagraph.size());
                reportedNoMiners = true;
            }
            return false;
        }
        // Only a round that runs takes a number, so no two rounds in the log share one.
        long next = lastNumber + 1;
        if (reportedNoMiners) {
            ValidatorLog.minersToAsk(next, sample.size());
            reportedNoMiners = false;
        }
        long started = System.currentTimeMillis();
        long startedNanos = System.nanoTime();
        Query query;
        QueryRequest request;
        try {
            query = queries.next();
            long minerDeadline = Math.min(started + settings.roundDeadline().toMillis(),
                    started + settings.minerTimeout().toMillis());
            // A bare UUID on the wire: the corpus id would tell a miner which entry, and so which reference answer, is
            // asked, and tell scored queries apart from consumers' (the round log keeps the corpus id).
            request = QueryRequest.qa(UUID.randomUUID().toString(), netuid, query.prompt(), minerDeadline);
        } catch (RuntimeException e) {
            // Thrown from a timer it would go unseen, and the next round draws another query.
            metrics.round("failed", null);
            ValidatorLog.roundNotStarted(e);
            return false;
        }
        inFlight = true;
        roundDone = Promise.promise();
        // the metagraph the sample was drawn from, for the log: a sync may replace it before the round is recorded
        RoundStart start = new RoundStart(next, started, startedNanos, view.block(), RoundRecord.MetagraphView.of(metagraph, hotkey));
        Future<Void> recorded;
        try {
            List<Future<MinerAnswer>> asked = sample.stream().map(neuron -> miners.query(neuron, request)).toList();
            recorded = Future.join(asked)
                    .transform(ignored -> Future.succeededFuture(collect(sample, asked)))
                    .compose(answers -> scoringPool.executeBlocking(() -> score(query, answers), false))
                    .compose(scored -> diskPool.executeBlocking(() -> record(start, query, scored), false));
        } catch (RuntimeException e) {
            // Whatever throws here must still clear inFlight, or every later round is skipped and stop() waits forever.
            recorded = Future.failedFuture(e);
        }
        recorded.onComplete(result -> ended(start, result));
        return true;
    }

    /**
     * What a round is recorded with, fixed when it starts.
     *
     * @param startedMs    wall-clock start, for the log
     * @param startedNanos monotonic start, for durations: a step of the wall clock (NTP) must not make a round look overdue
     * @param block        the chain head when it started
     * @param weighable    the metagraph its miners were drawn from, as the log keeps it
     */
    private record RoundStart(long number, long startedMs, long startedNanos, long block, RoundRecord.MetagraphView weighable) {
        Duration elapsed() {
            return Duration.ofNanos(System.nanoTime() - startedNanos);
        }
    }

    private void ended(RoundStart start, AsyncResult<Void> result) {
        long number = start.number();
        inFlight = false;
        lastNumber = number;
        Duration took = start.elapsed();
        if (result.succeeded()) {
            metrics.round("completed", took);
            if (took.compareTo(settings.roundDeadline()) > 0) {
                // Miners were cut off in time, so the late part is scoring: the answers are still good
                // and kept, but the operator has to give rounds more time or scoring less work.
                metrics.roundOverdue();
                ValidatorLog.roundOverdue(number, took, settings.roundDeadline(), settings.minerTimeout());
            }
        } else {
            metrics.round("failed", took);
            ValidatorLog.roundFailed(number, result.cause());
        }
        roundDone.handle(result);
    }

    private record Answered(Neuron neuron, MinerAnswer answer, double trust) {
    }

    private record Scored(List<Answered> answers, RoundScores scores) {
    }

    private List<Answered> collect(List<Neuron> sample, List<Future<MinerAnswer>> asked) {
        List<Answered> answers = new ArrayList<>(sample.size());
        for (int i = 0; i < sample.size(); i++) {
            MinerAnswer answer = asked.get(i).succeeded() ? asked.get(i).result()
                    : MinerAnswer.failed(sample.get(i).uid(), MinerAnswer.Failure.CONNECTION_LOST,
                    String.valueOf(asked.get(i).cause()), Duration.ZERO);
            metrics.minerRequest(answer);
            answers.add(new Answered(sample.get(i), answer, view.book().score(sample.get(i).uid())));
        }
        return answers;
    }

    private Scored score(Query query, List<Answered> answers) {
        long t0 = System.nanoTime();
        List<RoundAnswer> round = new ArrayList<>(answers.size());
        for (Answered a : answers) {
            round.add(RoundAnswers.of(a.answer(), a.trust()));
        }
        RoundScores scores = scorer.score(new Round(query.prompt(), round, query.reference()));
        metrics.embedding(Duration.ofNanos(System.nanoTime() - t0));
        return new Scored(answers, scores);
    }

    /** Runs on the disk pool: the book, the round log and the state file change together, in this order. */
    private Void record(RoundStart start, Query query, Scored scored) throws IOException {
        long number = start.number();
        List<RoundRecord.MinerRecord> miners = new ArrayList<>();
        Map<String, Integer> failed = new TreeMap<>();
        int answered = 0;
        Map<Integer, Double> rewards = new LinkedHashMap<>();
        Map<Integer, String> asked = new HashMap<>();
        for (Answered a : scored.answers()) {
            double reward = scored.scores().forUid(a.neuron().uid()).map(MinerScore::reward).orElse(0.0);
            rewards.put(a.neuron().uid(), reward);
            asked.put(a.neuron().uid(), a.neuron().hotkey());
            if (a.answer() instanceof MinerAnswer.Failed f) {
                failed.merge(f.kind(), 1, Integer::sum);
            } else {
                answered++;
            }
            miners.add(RoundRecord.MinerRecord.of(a.neuron(), a.answer(), a.trust(), reward));
        }
        view.book().record(scored.scores(), asked);
        recordedSinceStart = true;
        List<Integer> failedUids = miners.stream().filter(m -> m.failure() != null).map(RoundRecord.MinerRecord::uid).toList();
        vertx.runOnContext(v -> note(number, rewards, failedUids, asked));
        lastNumber = number;
        // The round is scored and its scores are in the book whatever the disk does; a write that fails is
        // reported as what it is, and the next round's save catches up. The state is saved first and apart from the
        // log line: the scores must not wait on a record kept for research, nor the record on the scores.
        String notSaved = folder.saveOrRecordWhy();
        if (notSaved != null) {
            ValidatorLog.storageFailed(number, notSaved);
        }
        folder.appendRoundOrRecordWhy(new RoundRecord(number, start.startedMs(), start.block(), query.id(), query.prompt(),
                query.reference(), false, miners, start.weighable()));
        ValidatorLog.roundDone(number, scored.answers().size(), answered, failed, start.elapsed().toMillis());
        return null;
    }

    /**
     * Keeps the round's rewards and failures for the uids whose hotkey is still the one asked: a uid that changed hands
     * while the round ran (its tallies already cleared by {@link #forget}) must not show its new owner the old owner's.
     */
    private void note(long number, Map<Integer, Double> rewards, List<Integer> failedUids, Map<Integer, String> asked) {
        stillHeldByAsked(asked, view.metagraph()).forEach(u -> {
            lastReward.put(u, rewards.get(u));
            if (failedUids.contains(u)) {
                failures.merge(u, 1, Integer::sum);
            }
        });
        Map<String, Object> point = new LinkedHashMap<>();
        point.put("round", number);
        point.put("t", System.currentTimeMillis());
        Map<Integer, Double> scores = new TreeMap<>();
        double[] current = view.book().scores();
        for (int u = 0; u < current.length; u++) {
            scores.put(u, current[u]);
        }
        point.put("scores", scores);
        history.add(point);
        if (history.size() > historyRounds) {
            history.remove(0);
        }
    }

    /** The uids of {@code asked} (uid to the hotkey asked) whose hotkey in {@code now} is still the one asked. */
    static List<Integer> stillHeldByAsked(Map<Integer, String> asked, Metagraph now) {
        return asked.entrySet().stream()
                .filter(e -> e.getKey() < now.size() && now.neuron(e.getKey()).hotkey().equalsIgnoreCase(e.getValue()))
                .map(Map.Entry::getKey).sorted().toList();
    }
}
