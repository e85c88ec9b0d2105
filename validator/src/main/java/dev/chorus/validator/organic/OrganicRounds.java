package dev.chorus.validator.organic;

import dev.chorus.chain.Metagraph;
import dev.chorus.config.OrganicSettings;
import dev.chorus.miner.client.MinerAnswer;
import dev.chorus.miner.client.MinerClient;
import dev.chorus.miner.protocol.QueryRequest;
import dev.chorus.miner.scored.RoundAnswers;
import dev.chorus.scoring.consensus.MinerScore;
import dev.chorus.scoring.consensus.Round;
import dev.chorus.scoring.consensus.RoundAnswer;
import dev.chorus.scoring.consensus.RoundScorer;
import dev.chorus.scoring.consensus.RoundScores;
import dev.chorus.validator.state.RoundRecord;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.WorkerExecutor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs organic rounds: asks the chosen miners, scores their answers against the consensus on the organic worker
 * pool (never the synthetic rounds' pool), picks the answer to return, and hands the round to the host for the
 * score book and the round log.
 */
public final class OrganicRounds {

    private final OrganicSettings settings;
    private final int netuid;
    private final String ownHotkey;
    private final MinerClient miners;
    private final RoundScorer scorer;
    private final OrganicHost host;
    private final WorkerExecutor pool;
    private final MinerChoice choice;
    private final AtomicLong counter = new AtomicLong();
    private final ScoringBudget budget;
    private int inFlight;
    private final List<Promise<Void>> idleWaiters = new ArrayList<>();

    public OrganicRounds(OrganicSettings settings, int netuid, String ownHotkey, MinerClient miners, RoundScorer scorer,
                         OrganicHost host, WorkerExecutor pool, Random random) {
        this.settings = settings;
        this.netuid = netuid;
        this.ownHotkey = ownHotkey;
        this.miners = miners;
        this.scorer = scorer;
        this.host = host;
        this.pool = pool;
        this.choice = new MinerChoice(settings.explorationShare(), random);
        this.budget = new ScoringBudget(settings.scoringShare(), System.nanoTime());
    }

    /** The organic CPU budget this engine spends; the access gate turns requests away while it is overdrawn. */
    ScoringBudget budget() {
        return budget;
    }

    /**
     * Asks the network. Fails only with {@link OrganicRefused} (no miners serving, no usable answer) or an
     * internal error; a miner's failure is part of the answer, never a failure of the request.
     */
    Future<ConsensusAnswer> ask(AskRequest request) {
        long started = System.currentTimeMillis();
        Metagraph metagraph = host.metagraph();
        List<MinerChoice.Pick> picks = metagraph == null ? List.of()
                : choice.choose(metagraph, ownHotkey, host::score, request.maxMiners());
        if (picks.isEmpty()) {
            return Future.failedFuture(new OrganicRefused(OrganicRefused.Reason.NO_MINERS, metagraph == null
                    ? "the validator has not read the metagraph yet; retry in a few seconds"
                    : "no miner is serving on this subnet right now", 5));
        }
        long number = counter.incrementAndGet();
        // The same bare UUID as a scored query's, so that a miner cannot tell a consumer's question from a scored one.
        String id = UUID.randomUUID().toString();
        QueryRequest query = QueryRequest.qa(id, netuid, request.prompt(), started + request.deadline().toMillis());
        roundStarted();
        Future<ConsensusAnswer> answer;
        try {
            List<Future<MinerAnswer>> replies = picks.stream().map(p -> miners.query(p.neuron(), query)).toList();
            answer = Future.join(replies)
                    .transform(ignored -> Future.succeededFuture(collect(picks, replies)))
                    .compose(asked -> pool.executeBlocking(() -> settle(number, id, started, metagraph, request, asked), false));
        } catch (RuntimeException e) {
            answer = Future.failedFuture(e);
        }
        return answer.onComplete(done -> roundEnded());
    }

    /** Organic rounds asked and not yet scored and recorded (or failed). */
    public synchronized int inFlight() {
        return inFlight;
    }

    /**
     * Completes once no organic round is in flight: the validator waits for this before it saves the score book and
     * closes the round log and the model, which those rounds still use until they end.
     */
    public Future<Void> idle() {
        synchronized (this) {
            if (inFlight > 0) {
                Promise<Void> waiter = Promise.promise();
                idleWaiters.add(waiter);
                return waiter.future();
            }
        }
        return Future.succeededFuture();
    }

    private synchronized void roundStarted() {
        inFlight++;
    }

    private void roundEnded() {
        List<Promise<Void>> waiting;
        synchronized (this) {
            inFlight--;
            if (inFlight > 0) {
                return;
            }
            waiting = List.copyOf(idleWaiters);
            idleWaiters.clear();
        }
        waiting.forEach(Promise::tryComplete);
    }

    private static List<Asked> collect(List<MinerChoice.Pick> picks, List<Future<MinerAnswer>> replies) {
        List<Asked> asked = new ArrayList<>(picks.size());
        for (int i = 0; i < picks.size(); i++) {
            MinerChoice.Pick pick = picks.get(i);
            MinerAnswer answer = replies.get(i).succeeded() ? replies.get(i).result()
                    : MinerAnswer.failed(pick.neuron().uid(), MinerAnswer.Failure.CONNECTION_LOST,
                    String.valueOf(replies.get(i).cause()), Duration.ZERO);
            asked.add(new Asked(pick.neuron(), answer, pick.explored()));
        }
        return asked;
    }

    /** On the organic pool: scores, picks, records; {@code metagraph} is the one the miners were picked from. */
    private ConsensusAnswer settle(long number, String id, long started, Metagraph metagraph, AskRequest request,
                                   List<Asked> asked) {
        List<RoundAnswer> answers = new ArrayList<>(asked.size());
        Map<Integer, Double> trust = new LinkedHashMap<>();
        for (Asked a : asked) {
            int uid = a.neuron().uid();
            trust.put(uid, host.score(uid));
            answers.add(RoundAnswers.of(a.answer(), trust.get(uid)));
        }
        long scoring = System.nanoTime();
        RoundScores scores = scorer.score(new Round(request.prompt(), answers));
        budget.spend(System.nanoTime() - scoring, System.nanoTime());
        Verdict verdict = Verdict.of(asked, scores, trust::get);
        record(number, id, started, metagraph, request, asked, scores, trust);
        RankedAnswer chosen = verdict.chosen().orElseThrow(() -> noUsableAnswer(asked));
        int answered = (int) asked.stream().filter(a -> a.answer() instanceof MinerAnswer.Ok).count();
        return new ConsensusAnswer(id, chosen.answer(), chosen.uid(), chosen.hotkey(), verdict.agreement(),
                asked.size(), answered, System.currentTimeMillis() - started,
                settings.returnOthers() ? verdict.others() : null);
    }

    /**
     * Says what became of the miners' answers, as the round line counts failures, and asks for a longer deadline only
     * when a miner ran out of time: it does nothing for miners that refuse this validator, fail, or cannot be reached.
     */
    private static OrganicRefused noUsableAnswer(List<Asked> asked) {
        Map<String, Integer> outcomes = new TreeMap<>();
        boolean late = false;
        for (Asked a : asked) {
            if (a.answer() instanceof MinerAnswer.Failed f) {
                outcomes.merge(f.kind(), 1, Integer::sum);
                late |= f.failure() == MinerAnswer.Failure.TIMEOUT || f.refusal().equals("DEADLINE_EXCEEDED");
            } else {
                // answered, but empty, an echo of the question or a copy: the scorer found fault with the text
                outcomes.merge("UNUSABLE_TEXT", 1, Integer::sum);
            }
        }
        return new OrganicRefused(OrganicRefused.Reason.NO_USABLE_ANSWER, "none of the " + asked.size()
                + " miners asked gave a usable answer " + outcomes
                + (late ? "; retry, perhaps with a longer deadline_ms" : "; retry later"), 1);
    }

    private void record(long number, String id, long started, Metagraph metagraph, AskRequest request, List<Asked> asked,
                        RoundScores scores, Map<Integer, Double> trust) {
        List<RoundRecord.MinerRecord> miners = new ArrayList<>(asked.size());
        for (Asked a : asked) {
            int uid = a.neuron().uid();
            double reward = scores.forUid(uid).map(MinerScore::reward).orElse(0.0);
            miners.add(RoundRecord.MinerRecord.of(a.neuron(), a.answer(), trust.get(uid), reward));
        }
        RoundRecord round = new RoundRecord(number, started, metagraph.block(), id,
                settings.storePrompts() ? request.prompt() : "", null, true, miners,
                RoundRecord.MetagraphView.of(metagraph, ownHotkey));
        try {
            host.record(round, settings.scoreWeight());
        } catch (Exception e) {
            OrganicLog.recordFailed(id, e);
        }
    }
}
