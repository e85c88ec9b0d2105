package dev.chorus.validator.organic;

import dev.chorus.miner.client.MinerAnswer;
import dev.chorus.scoring.consensus.MinerScore;
import dev.chorus.scoring.consensus.Penalty;
import dev.chorus.scoring.consensus.RoundScores;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntToDoubleFunction;

/**
 * What the network says about one organic question, read off the scorer's result: the answer to return, the
 * agreement, and every reply ranked.
 *
 * <p>The answer returned is the eligible answer with the highest calibrated similarity to the consensus point,
 * highest reward on ties. An answer is eligible only when the scorer found nothing wrong with it: a penalised
 * answer (empty, echo, one that opens with another's answer) never wins, and of a duplicate group only one member may: the one with the
 * best standing in the score book, then the fastest, then the lowest uid. Standing comes first because one
 * round's timing cannot tell an original from a copy served as fast (a copycat that reads its source in-process
 * is sometimes first), while the book remembers every round in which the copy came second and earned nothing. A
 * constant answer shared by many uids likewise wins at most through one member, and only if it is nearest the
 * consensus.
 *
 * <p>Agreement is the mean calibrated similarity of the distinct answers: each duplicate group counts once (by
 * its chosen member) so copies cannot manufacture agreement, answers that open with another's answer are left out,
 * and an empty or echoed answer counts as 0. Failed miners do not count.
 *
 * @param chosen    the reply to return, empty when no answer was eligible
 * @param agreement in [0, 1]
 * @param ranked    every reply: eligible by similarity, then penalised answers, then failures by latency
 */
record Verdict(Optional<RankedAnswer> chosen, double agreement, List<RankedAnswer> ranked) {

    /** @param standing the validator's score of each uid before this round */
    static Verdict of(List<Asked> asked, RoundScores scores, IntToDoubleFunction standing) {
        Map<Integer, Integer> firstOfGroup = groupChoices(asked, scores, standing);
        List<RankedAnswer> eligible = new ArrayList<>();
        List<RankedAnswer> penalised = new ArrayList<>();
        List<RankedAnswer> failed = new ArrayList<>();
        double agreementSum = 0;
        int distinct = 0;
        for (Asked a : asked) {
            int uid = a.neuron().uid();
            MinerScore score = scores.forUid(uid).orElseThrow(
                    () -> new IllegalStateException("the scorer returned no score for uid " + uid));
            double similarity = Double.isFinite(score.calibrated()) ? score.calibrated() : 0;
            boolean first = score.duplicateGroup() < 0 || firstOfGroup.get(score.duplicateGroup()) == uid;
            RankedAnswer reply = reply(a, score, similarity);
            if (!score.answered()) {
                failed.add(reply);
                continue;
            }
            if (first && !score.penalties().contains(Penalty.PADDED_COPY)
                    && !score.penalties().contains(Penalty.COPIED_OPENING)) {
                agreementSum += similarity;
                distinct++;
            }
            boolean clean = score.penalties().stream().noneMatch(Penalty::faultsTheText);
            (clean && first && Double.isFinite(score.calibrated()) ? eligible : penalised).add(reply);
        }
        Comparator<RankedAnswer> best = Comparator.comparingDouble(RankedAnswer::similarity).reversed()
                .thenComparing(Comparator.comparingDouble(RankedAnswer::reward).reversed())
                .thenComparingLong(RankedAnswer::latencyMs);
        eligible.sort(best);
        penalised.sort(best);
        failed.sort(Comparator.comparingLong(RankedAnswer::latencyMs));
        List<RankedAnswer> ranked = new ArrayList<>(asked.size());
        ranked.addAll(eligible);
        ranked.addAll(penalised);
        ranked.addAll(failed);
        double agreement = distinct == 0 ? 0 : Math.max(0, Math.min(1, agreementSum / distinct));
        return new Verdict(eligible.stream().findFirst(), agreement, ranked);
    }

    /** The replies other than the chosen one, in rank order. */
    List<RankedAnswer> others() {
        return ranked.stream().filter(r -> chosen.isEmpty() || r != chosen.get()).toList();
    }

    /** For each duplicate group, the uid of the member that speaks for it: best standing, then fastest, then lowest uid. */
    private static Map<Integer, Integer> groupChoices(List<Asked> asked, RoundScores scores, IntToDoubleFunction standing) {
        Map<Integer, Asked> first = new HashMap<>();
        Comparator<Asked> earlier = Comparator.comparingDouble((Asked a) -> -standing.applyAsDouble(a.neuron().uid()))
                .thenComparing((Asked a) -> a.answer().latency())
                .thenComparingInt(a -> a.neuron().uid());
        for (Asked a : asked) {
            scores.forUid(a.neuron().uid()).filter(s -> s.duplicateGroup() >= 0).ifPresent(s ->
                    first.merge(s.duplicateGroup(), a, (x, y) -> earlier.compare(x, y) <= 0 ? x : y));
        }
        Map<Integer, Integer> uids = new HashMap<>();
        first.forEach((group, a) -> uids.put(group, a.neuron().uid()));
        return uids;
    }

    private static RankedAnswer reply(Asked a, MinerScore score, double similarity) {
        MinerAnswer answer = a.answer();
        String text = answer instanceof MinerAnswer.Ok ok ? ok.answer() : null;
        String failure = answer instanceof MinerAnswer.Failed f ? f.failure().name() : null;
        return new RankedAnswer(a.neuron().uid(), a.neuron().hotkey(), text, failure, similarity, score.reward(),
                answer.latency().toMillis(), score.penalties().stream().map(Enum::name).sorted().toList(), a.explored());
    }
}
