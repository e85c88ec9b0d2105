package dev.chorus.bench.replay;

import dev.chorus.chain.WeightVector;
import dev.chorus.chain.yuma.SparseRow;
import dev.chorus.chain.yuma.StoredWeights;
import dev.chorus.chain.yuma.YumaEpoch;
import dev.chorus.chain.yuma.YumaInput;
import dev.chorus.chain.yuma.YumaOutput;
import dev.chorus.miner.client.MinerAnswer;
import dev.chorus.miner.scored.RoundAnswers;
import dev.chorus.scoring.book.ScoreBook;
import dev.chorus.scoring.consensus.AnswerFailure;
import dev.chorus.scoring.consensus.MinerScore;
import dev.chorus.scoring.consensus.Round;
import dev.chorus.scoring.consensus.RoundAnswer;
import dev.chorus.scoring.consensus.RoundScores;
import dev.chorus.validator.WeightPolicy;
import dev.chorus.validator.state.RoundRecord;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.IntToDoubleFunction;

/**
 * Replays round logs, one per validator, through a {@link BenchScorer}. The validators step through their logs in
 * lockstep; every {@code tempoRounds} synthetic rounds each turns its score book into a weight vector through the
 * validator's pipeline (the SDK's weight processing) and one Java Yuma epoch runs over all vectors, carrying bonds. Organic
 * rounds move the book where they fall in the log but do not count toward the tempo.
 *
 * <p>As the live validator does, each replaying validator weighs 0 every uid that its latest round says it would not
 * weigh ({@link RoundRecord#metagraph()}: one that withdrew its axon or gained a validator permit keeps its score in
 * the book but earns nothing from it). A log written before rounds recorded that weighs every uid its book holds.
 *
 * <p>The synthetic subnet keeps each miner's uid from the log and places the validators after the highest miner
 * uid, with the given stakes; every uid counts as active and registered before the first epoch.
 *
 * <p>With {@link ReplaySettings#hasCopier()} one more validator, last, scores nothing: every tempo it submits the
 * stake-weighted mean of the rows it can read on chain. Without commit-reveal those are the rows the others set
 * this tempo, just before the epoch. With a reveal period of k epochs every row reaches the epoch k epochs after
 * it was committed, and the copier can only commit a copy of revealed rows, so its row is 2k epochs old when it
 * counts while the others' are k.
 */
public final class Replay {

    private static final int TEMPO_BLOCKS = 360;
    private static final long EMISSION_PER_EPOCH = 1_000_000_000L;

    private Replay() {
    }

    public static ReplayResult run(List<List<RoundRecord>> logs, BenchScorer scorer, ReplaySettings settings) {
        if (logs.size() != settings.validators()) {
            throw new IllegalArgumentException("Got " + logs.size() + " round logs for " + settings.validators()
                    + " validator stakes; give one stake per log");
        }
        int[] minerUids = minerUids(logs);
        int validators = logs.size();
        int firstValidator = minerUids.length == 0 ? 0 : minerUids[minerUids.length - 1] + 1;
        int n = firstValidator + validators + (settings.hasCopier() ? 1 : 0);
        if (n > 65_535) {
            throw new IllegalArgumentException("The logs name uid " + (firstValidator - 1) + "; Yuma takes at most 65535 uids");
        }

        List<Validator> replaying = new ArrayList<>();
        for (int v = 0; v < validators; v++) {
            replaying.add(new Validator(logs.get(v), settings, n, firstValidator));
        }
        // the last 2 x revealEpochs + 1 tempos' rows: as far back as a copier's row reaches
        List<List<SparseRow>> committed = new ArrayList<>();
        Map<Integer, List<Double>> rewards = new TreeMap<>();
        for (int uid : minerUids) {
            rewards.put(uid, new ArrayList<>());
        }
        Map<Integer, String> lastHotkey = new TreeMap<>();
        long[] compared = new long[1];
        long[] equal = new long[1];
        long[] notCompared = new long[1];
        double[] maxDiff = new double[1];

        YumaInput subnet = subnet(n, firstValidator, settings);
        List<double[]> emissionByEpoch = new ArrayList<>();
        double[] emissionTotals = new double[minerUids.length];
        long[] dividends = new long[n - firstValidator];
        YumaOutput last = null;
        SparseRow copierLastRow = SparseRow.EMPTY;
        int longest = replaying.stream().mapToInt(v -> v.steps.size()).max().orElse(0);
        int rounds = 0;
        long[] roundsNotJudged = new long[1];
        for (int i = 0; i < longest; i++) {
            for (Validator v : replaying) {
                if (i >= v.steps.size()) {
                    continue;
                }
                for (RoundRecord record : v.steps.get(i)) {
                    v.followHotkeys(record);
                    v.latest = record.metagraph();
                    IntToDoubleFunction trust = settings.trust() == ReplaySettings.Trust.LOGGED ? uid -> trustLogged(record, uid) : v.book::score;
                    // A consumer's prompt is logged only with organic.store_prompts. The scorer reads the prompt (an answer
                    // that echoes it), so a round without it cannot be scored again: its logged rewards are kept as they
                    // are, for the book and the means, and left out of the comparison. So is a round the scorer cannot
                    // judge (the reference scorer on an organic round, which has no reference answer). A log written by
                    // another tool may leave the prompt out rather than empty it.
                    boolean promptNotLogged = record.organic() && (record.prompt() == null || record.prompt().isEmpty());
                    Round round = promptNotLogged ? null : toRound(record, trust);
                    boolean notJudged = round != null && !scorer.canJudge(round);
                    boolean keptAsLogged = promptNotLogged || notJudged;
                    RoundScores scores = keptAsLogged ? null : scorer.score(round);
                    IntToDoubleFunction reward = keptAsLogged ? uid -> rewardLogged(record, uid)
                            : uid -> scores.forUid(uid).map(MinerScore::reward).orElse(0.0);
                    if (record.organic()) {
                        v.recordOrganic(record, reward, settings.organicWeight());
                    } else if (keptAsLogged) {
                        v.recordLogged(record);
                    } else {
                        v.book.record(scores);
                    }
                    rounds++;
                    if (notJudged) {
                        roundsNotJudged[0]++;
                    }
                    for (RoundRecord.MinerRecord m : record.miners()) {
                        rewards.get(m.uid()).add(reward.applyAsDouble(m.uid()));
                        if (m.hotkey() != null) {
                            lastHotkey.put(m.uid(), m.hotkey());
                        }
                        if (keptAsLogged) {
                            notCompared[0] += promptNotLogged ? 1 : 0;
                            continue;
                        }
                        double replayed = reward.applyAsDouble(m.uid());
                        compared[0]++;
                        if (Double.compare(replayed, m.reward()) == 0) {
                            equal[0]++;
                        }
                        maxDiff[0] = Math.max(maxDiff[0], Math.abs(replayed - m.reward()));
                    }
                }
            }
            boolean tempoEnds = (i + 1) % settings.tempoRounds() == 0 || i == longest - 1;
            if (tempoEnds) {
                List<SparseRow> rows = new ArrayList<>();
                for (Validator v : replaying) {
                    rows.add(v.submit(settings));
                }
                committed.add(rows);
                if (committed.size() > 2 * settings.revealEpochs() + 1) {
                    committed.removeFirst();
                }
                List<SparseRow> counting = countingRows(committed, settings, n);
                if (settings.hasCopier()) {
                    copierLastRow = counting.getLast();
                }
                subnet = withWeights(subnet, firstValidator, counting, emissionByEpoch.size());
                last = YumaEpoch.run(subnet);
                for (int v = 0; v < dividends.length; v++) {
                    dividends[v] += last.validatorEmission()[firstValidator + v];
                }
                double[] shares = minerShares(last.serverEmission(), minerUids);
                for (int k = 0; k < minerUids.length; k++) {
                    emissionTotals[k] += shares[k];
                }
                emissionByEpoch.add(shares);
                subnet = subnet.next(last, subnet.block() + TEMPO_BLOCKS, subnet.block());
            }
        }
        double totalShare = Arrays.stream(emissionTotals).sum();
        List<double[]> weights = new ArrayList<>(replaying.stream().map(v -> weightShares(v.lastRow, minerUids)).toList());
        List<MinerOutcome> miners = new ArrayList<>();
        for (int k = 0; k < minerUids.length; k++) {
            int uid = minerUids[k];
            List<Double> r = rewards.get(uid);
            double meanReward = r.stream().mapToDouble(Double::doubleValue).average().orElse(0);
            double finalScore = replaying.stream().mapToDouble(v -> v.book.score(uid)).average().orElse(0);
            int column = k;
            double weight = weights.stream().limit(validators).mapToDouble(w -> w[column]).average().orElse(0);
            double consensus = last == null ? 0 : last.consensus()[uid] / 65_535.0;
            double incentive = last == null ? 0 : last.incentive()[uid] / 65_535.0;
            double share = totalShare > 0 ? emissionTotals[k] / totalShare : 0;
            miners.add(new MinerOutcome(uid, lastHotkey.getOrDefault(uid, ""), meanReward, finalScore, weight, consensus,
                    incentive, share));
        }
        if (settings.hasCopier()) {
            weights.add(weightShares(copierLastRow, minerUids));
        }
        return new ReplayResult(scorer.name(), settings.yuma3(), settings, rounds, longest, miners,
                validatorOutcomes(firstValidator, dividends, settings), emissionByEpoch, weights, rewards,
                new ReplayResult.RewardCheck(compared[0], equal[0], maxDiff[0], notCompared[0], roundsNotJudged[0]));
    }

    /**
     * The rows that count in this epoch, given the rows committed in the last tempos (this one last): each replaying
     * validator's row of {@code revealEpochs} tempos ago (none before it is revealed), then the copier's copy of the
     * rows that were revealed when it committed.
     */
    private static List<SparseRow> countingRows(List<List<SparseRow>> committed, ReplaySettings settings, int n) {
        int epoch = committed.size() - 1;
        int validators = committed.get(0).size();
        int revealed = epoch - settings.revealEpochs();
        List<SparseRow> rows = new ArrayList<>(revealed >= 0 ? committed.get(revealed)
                : Collections.nCopies(validators, SparseRow.EMPTY));
        if (settings.hasCopier()) {
            int copied = epoch - 2 * settings.revealEpochs();
            rows.add(copied >= 0 ? stakeWeightedMean(committed.get(copied), settings, n) : SparseRow.EMPTY);
        }
        return rows;
    }

    /**
     * The copier's row: the stake-weighted mean of the rows' normalized weights, sent through the same pipeline as a
     * replaying validator's scores, so it is quantized and max-upscaled as the chain stores any row.
     */
    private static SparseRow stakeWeightedMean(List<SparseRow> rows, ReplaySettings settings, int n) {
        double[] mean = new double[n];
        for (int v = 0; v < rows.size(); v++) {
            SparseRow row = rows.get(v);
            double total = Arrays.stream(row.values()).sum();
            for (int k = 0; k < row.size() && total > 0; k++) {
                mean[row.uids()[k]] += settings.stakes().get(v) * (row.values()[k] / total);
            }
        }
        return storedRow(mean, settings);
    }

    /**
     * What the chain stores for these scores by uid: the SDK's weight processing, then the max-upscale; none if no
     * score is positive.
     */
    private static SparseRow storedRow(double[] scores, ReplaySettings settings) {
        if (!WeightVector.anyPositive(scores)) {
            return SparseRow.EMPTY;
        }
        WeightVector vector = WeightVector.fromScores(scores, settings.minAllowedWeights(), settings.maxWeightLimit(), 0);
        int[] uids = vector.uids().stream().mapToInt(Integer::intValue).toArray();
        int[] values = vector.values().stream().mapToInt(Integer::intValue).toArray();
        return new SparseRow(uids, StoredWeights.maxUpscale(values));
    }

    /** Each miner's share of a stored row, in the order of {@code minerUids}. */
    private static double[] weightShares(SparseRow row, int[] minerUids) {
        double total = Arrays.stream(row.values()).sum();
        double[] shares = new double[minerUids.length];
        for (int k = 0; k < row.size(); k++) {
            int at = Arrays.binarySearch(minerUids, row.uids()[k]);
            if (at >= 0 && total > 0) {
                shares[at] = row.values()[k] / total;
            }
        }
        return shares;
    }

    private static List<ValidatorOutcome> validatorOutcomes(int firstValidator, long[] dividends, ReplaySettings settings) {
        long[] stakes = new long[dividends.length];
        for (int v = 0; v < dividends.length; v++) {
            stakes[v] = v < settings.validators() ? settings.stakes().get(v) : settings.copierStake();
        }
        double paid = Arrays.stream(dividends).sum();
        double replayingPaid = Arrays.stream(dividends, 0, settings.validators()).sum();
        double replayingStake = Arrays.stream(stakes, 0, settings.validators()).sum();
        List<ValidatorOutcome> out = new ArrayList<>();
        for (int v = 0; v < dividends.length; v++) {
            double relative = replayingPaid > 0 ? (dividends[v] / (double) stakes[v]) / (replayingPaid / replayingStake) : 0;
            out.add(new ValidatorOutcome(firstValidator + v, v >= settings.validators(), stakes[v],
                    paid > 0 ? dividends[v] / paid : 0, relative));
        }
        return out;
    }

    /** The round as the validator scored it, with each miner's trust from {@code trust}. */
    public static Round toRound(RoundRecord record, IntToDoubleFunction trust) {
        List<RoundAnswer> answers = new ArrayList<>(record.miners().size());
        for (RoundRecord.MinerRecord m : record.miners()) {
            Duration latency = Duration.ofMillis(m.latencyMs());
            double t = trust.applyAsDouble(m.uid());
            answers.add(m.answer() != null ? RoundAnswer.answered(m.uid(), m.answer(), latency, t)
                    : RoundAnswer.failed(m.uid(), failureOf(record, m), latency, t));
        }
        return new Round(record.prompt() == null ? "" : record.prompt(), answers, record.reference());
    }

    /**
     * The scorer's failure kind for the transport failure the validator logged (its {@code MinerAnswer.Failure}),
     * mapped as the validator mapped it when it scored the round.
     */
    private static AnswerFailure failureOf(RoundRecord record, RoundRecord.MinerRecord m) {
        String kind = m.failure() == null ? "" : m.failure();
        MinerAnswer.Failure failure;
        try {
            failure = MinerAnswer.Failure.valueOf(kind);
        } catch (IllegalArgumentException unknown) {
            throw new IllegalArgumentException("Round " + record.round() + ", uid " + m.uid()
                    + ": no answer and an unknown failure kind '" + kind + "'; the log is damaged or from a newer validator");
        }
        return RoundAnswers.failureOf(failure);
    }

    private static double rewardLogged(RoundRecord record, int uid) {
        return logged(record, uid, RoundRecord.MinerRecord::reward);
    }

    private static double trustLogged(RoundRecord record, int uid) {
        return logged(record, uid, RoundRecord.MinerRecord::trust);
    }

    private static double logged(RoundRecord record, int uid, java.util.function.ToDoubleFunction<RoundRecord.MinerRecord> field) {
        return record.miners().stream().filter(m -> m.uid() == uid).mapToDouble(field).findFirst().orElse(0);
    }

    private static int[] minerUids(List<List<RoundRecord>> logs) {
        TreeSet<Integer> uids = new TreeSet<>();
        logs.forEach(log -> log.forEach(r -> r.miners().forEach(m -> uids.add(m.uid()))));
        return uids.stream().mapToInt(Integer::intValue).toArray();
    }

    private static double[] minerShares(long[] serverEmission, int[] minerUids) {
        double[] shares = new double[minerUids.length];
        double total = 0;
        for (int k = 0; k < minerUids.length; k++) {
            shares[k] = serverEmission[minerUids[k]];
            total += shares[k];
        }
        for (int k = 0; k < shares.length; k++) {
            shares[k] = total > 0 ? shares[k] / total : 0;
        }
        return shares;
    }

    private static YumaInput subnet(int n, int firstValidator, ReplaySettings settings) {
        long block = TEMPO_BLOCKS;
        long[] stake = new long[n];
        boolean[] permit = new boolean[n];
        long[] lastUpdate = new long[n];
        List<SparseRow> empty = new ArrayList<>();
        for (int uid = 0; uid < n; uid++) {
            int validator = uid - firstValidator;
            stake[uid] = validator < 0 ? 0
                    : validator < settings.validators() ? settings.stakes().get(validator) : settings.copierStake();
            permit[uid] = validator >= 0;
            lastUpdate[uid] = block;
            empty.add(SparseRow.EMPTY);
        }
        return new YumaInput(n, block, TEMPO_BLOCKS, 5_000, 0, EMISSION_PER_EPOCH, 32_767, 65_535, 900_000,
                n - firstValidator, 0, OptionalInt.empty(), settings.yuma3(), false, 45_875, 58_982, 1_000, stake,
                permit, lastUpdate, new long[n], empty, empty);
    }

    /** The subnet at this epoch's block with the validators' rows (uids from {@code firstValidator} on), set at that block. */
    private static YumaInput withWeights(YumaInput s, int firstValidator, List<SparseRow> rows, int epoch) {
        long block = (long) TEMPO_BLOCKS * (epoch + 1);
        List<SparseRow> weights = new ArrayList<>(s.weights());
        for (int v = 0; v < rows.size(); v++) {
            weights.set(firstValidator + v, rows.get(v));
        }
        long[] lastUpdate = new long[s.n()];
        Arrays.fill(lastUpdate, block);
        return new YumaInput(s.n(), block, s.tempo(), s.activityCutoff(), s.lastMechanismStepBlock(), s.raoEmission(),
                s.kappa(), s.bondsPenalty(), s.bondsMovingAverage(), s.maxAllowedValidators(), s.minStake(), s.ownerUid(),
                s.yuma3(), s.liquidAlpha(), s.alphaLow(), s.alphaHigh(), s.alphaSigmoidSteepness(), s.stake(),
                s.validatorPermit(), lastUpdate, s.blockAtRegistration(), weights, s.bonds());
    }

    /** One replaying validator: its log, its score book, and the hotkeys it has seen per uid. */
    private static final class Validator {
        /** The log cut after each synthetic round; organic rounds after the last one join the last step. */
        final List<List<RoundRecord>> steps;
        final ScoreBook book;
        final String[] hotkeys;
        SparseRow lastRow = SparseRow.EMPTY;
        /** Which uids the validator weighed as of its latest round; null where the log does not say. */
        RoundRecord.MetagraphView latest;

        Validator(List<RoundRecord> log, ReplaySettings settings, int n, int firstValidator) {
            this.steps = steps(log);
            this.book = new ScoreBook(settings.book());
            this.hotkeys = new String[n];
            for (int u = 0; u < n; u++) {
                hotkeys[u] = u >= firstValidator ? "validator-" + u : "uid-" + u;
            }
            for (RoundRecord r : log) {
                for (RoundRecord.MinerRecord m : r.miners()) {
                    if (m.hotkey() != null && hotkeys[m.uid()].startsWith("uid-")) {
                        hotkeys[m.uid()] = m.hotkey();
                    }
                }
            }
            book.resync(List.of(hotkeys));
        }

        /**
         * The validator sets weights every tempo of synthetic rounds; organic rounds come as consumers ask, so counting
         * them would shift the epochs with the traffic.
         */
        private static List<List<RoundRecord>> steps(List<RoundRecord> log) {
            List<List<RoundRecord>> steps = new ArrayList<>();
            List<RoundRecord> step = new ArrayList<>();
            for (RoundRecord r : log) {
                step.add(r);
                if (!r.organic()) {
                    steps.add(step);
                    step = new ArrayList<>();
                }
            }
            if (!step.isEmpty()) {
                if (steps.isEmpty()) {
                    steps.add(step);
                } else {
                    steps.getLast().addAll(step);
                }
            }
            return steps;
        }

        /** A round kept with its logged rewards moves the book as a scored one would: toward them, or decaying. */
        void recordLogged(RoundRecord record) {
            Map<Integer, Double> answered = new TreeMap<>();
            Set<Integer> noAnswer = new TreeSet<>();
            for (RoundRecord.MinerRecord m : record.miners()) {
                if (m.answer() != null) {
                    answered.put(m.uid(), m.reward());
                } else {
                    noAnswer.add(m.uid());
                }
            }
            book.record(answered, noAnswer);
        }

        /** A uid whose hotkey changed is a new miner: the validator's metagraph sync zeroes its score. */
        void followHotkeys(RoundRecord record) {
            boolean changed = false;
            for (RoundRecord.MinerRecord m : record.miners()) {
                if (m.hotkey() != null && !m.hotkey().equals(hotkeys[m.uid()])) {
                    hotkeys[m.uid()] = m.hotkey();
                    changed = true;
                }
            }
            if (changed) {
                book.resync(List.of(hotkeys));
            }
        }

        /**
         * An organic round moves the book as the validator moves it: each asked miner's score goes {@code weight} of
         * a synthetic round's step towards its reward.
         */
        void recordOrganic(RoundRecord record, IntToDoubleFunction reward, double weight) {
            if (weight <= 0) {
                return;
            }
            Map<Integer, Double> rewards = new TreeMap<>();
            Map<Integer, String> asked = new TreeMap<>();
            for (RoundRecord.MinerRecord m : record.miners()) {
                rewards.put(m.uid(), reward.applyAsDouble(m.uid()));
                asked.put(m.uid(), hotkeys[m.uid()]);
            }
            book.record(rewards, weight, asked);
        }

        /**
         * The row this validator has on chain after this tempo. With no positive score among the uids it weighs the
         * validator sends nothing, as the live one does, so its previous row stays (none if it never sent one): the
         * SDK's pipeline would weigh every uid alike and pay miners that only timed out.
         */
        SparseRow submit(ReplaySettings settings) {
            double[] scores = book.scores();
            if (latest != null) {
                scores = WeightPolicy.weighedScores(scores, scores.length, latest::weighs);
            }
            if (WeightVector.anyPositive(scores)) {
                lastRow = storedRow(scores, settings);
            }
            return lastRow;
        }
    }
}
