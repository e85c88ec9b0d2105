package dev.chorus.scoring.book;

import dev.chorus.scoring.consensus.MinerScore;
import dev.chorus.scoring.consensus.RoundScores;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Per-uid moving averages of round rewards. A round touches only the uids it queried: a miner that answered
 * moves toward its reward by {@code alpha}; one that did not answer is multiplied by {@code absentDecay};
 * uids not queried keep their score. {@link #resync} keeps the book aligned with the metagraph: a uid whose
 * hotkey changed starts again from 0 (the new owner inherits nothing), new uids start at 0 and removed uids
 * are dropped. Thread-safe.
 */
public final class ScoreBook {

    private final ScoreBookOptions options;
    private String[] hotkeys;
    private double[] scores;

    public ScoreBook(ScoreBookOptions options) {
        this.options = options.validate();
        this.hotkeys = new String[0];
        this.scores = new double[0];
    }

    /** A book continuing from {@code state}; call {@link #resync} with the current metagraph right after. */
    public static ScoreBook restore(ScoreBookState state, ScoreBookOptions options) {
        ScoreBook book = new ScoreBook(options);
        book.hotkeys = state.hotkeys().toArray(String[]::new);
        book.scores = new double[state.scores().size()];
        for (int uid = 0; uid < book.scores.length; uid++) {
            double s = state.scores().get(uid);
            if (!(s >= 0 && s <= 1)) {
                throw new IllegalArgumentException("Score book state has score " + s + " for uid " + uid
                        + "; scores must be in [0, 1]: the file is damaged, delete it to start the book afresh");
            }
            book.scores[uid] = s;
        }
        return book;
    }

    /**
     * Aligns the book with the metagraph's hotkeys (index = uid): grows or shrinks to their number and zeroes
     * every uid whose hotkey changed.
     */
    public synchronized void resync(List<String> currentHotkeys) {
        int n = currentHotkeys.size();
        String[] nextHotkeys = new String[n];
        double[] nextScores = new double[n];
        for (int uid = 0; uid < n; uid++) {
            String hotkey = currentHotkeys.get(uid);
            if (hotkey == null) {
                throw new IllegalArgumentException("The metagraph gave no hotkey for uid " + uid);
            }
            nextHotkeys[uid] = hotkey;
            boolean sameOwner = uid < hotkeys.length && hotkey.equals(hotkeys[uid]);
            nextScores[uid] = sameOwner ? scores[uid] : 0;
        }
        hotkeys = nextHotkeys;
        scores = nextScores;
    }

    /** Records a scored round: answered uids move toward their reward, failed ones decay. */
    public synchronized void record(RoundScores round) {
        record(round, owners());
    }

    /**
     * As {@link #record(RoundScores)} for a round that a {@link #resync} may have overtaken: a uid is recorded only
     * while it still belongs to the hotkey that was asked, so a new owner never collects the previous one's reward.
     */
    public synchronized void record(RoundScores round, Map<Integer, String> askedHotkeys) {
        round.scores().stream().filter(MinerScore::answered).forEach(s -> requireUnitInterval(s.uid(), s.reward()));
        for (MinerScore s : round.scores()) {
            if (!stillOwnedBy(s.uid(), askedHotkeys)) {
                continue;
            }
            if (s.answered()) {
                answered(s.uid(), s.reward());
            } else {
                unanswered(s.uid());
            }
        }
    }

    /**
     * Records rewards of the uids that answered and the uids that were queried but did not. Uids beyond the
     * book (deregistered since the round was sent) are skipped.
     */
    public synchronized void record(Map<Integer, Double> rewards, Set<Integer> noAnswer) {
        record(rewards, noAnswer, owners());
    }

    /** As {@link #record(Map, Set)}, skipping uids that no longer belong to the hotkey that was asked. */
    public synchronized void record(Map<Integer, Double> rewards, Set<Integer> noAnswer,
                                    Map<Integer, String> askedHotkeys) {
        rewards.forEach(ScoreBook::requireUnitInterval);
        rewards.forEach((uid, reward) -> {
            if (stillOwnedBy(uid, askedHotkeys)) {
                answered(uid, reward);
            }
        });
        noAnswer.stream().filter(uid -> stillOwnedBy(uid, askedHotkeys)).forEach(this::unanswered);
    }

    /**
     * Records a round that counts {@code weight} of a synthetic round (an organic one): each asked uid moves
     * {@code weight * alpha} of the way to its reward, a uid that failed toward 0. The step is taken from the score
     * as it is when the round is recorded, so a round recorded while this one was being scored keeps its effect.
     * Skips uids that no longer belong to the hotkey that was asked.
     */
    public synchronized void record(Map<Integer, Double> rewards, double weight, Map<Integer, String> askedHotkeys) {
        if (!(weight >= 0 && weight <= 1)) {
            throw new IllegalArgumentException("Round weight " + weight + " is outside [0, 1]");
        }
        rewards.forEach(ScoreBook::requireUnitInterval);
        rewards.forEach((uid, reward) -> {
            if (stillOwnedBy(uid, askedHotkeys)) {
                moveToward(uid, reward, weight * options.alpha());
            }
        });
    }

    private Map<Integer, String> owners() {
        Map<Integer, String> owners = new HashMap<>(hotkeys.length * 2);
        for (int uid = 0; uid < hotkeys.length; uid++) {
            owners.put(uid, hotkeys[uid]);
        }
        return owners;
    }

    private boolean stillOwnedBy(int uid, Map<Integer, String> askedHotkeys) {
        String asked = askedHotkeys.get(uid);
        return asked != null && uid >= 0 && uid < hotkeys.length && asked.equals(hotkeys[uid]);
    }

    /** Checked for the whole round before any score moves, so a bad reward leaves the book as it was. */
    private static void requireUnitInterval(int uid, double reward) {
        if (!(reward >= 0 && reward <= 1)) {
            throw new IllegalArgumentException("Reward " + reward + " for uid " + uid + " is outside [0, 1]");
        }
    }

    private void answered(int uid, double reward) {
        moveToward(uid, reward, options.alpha());
    }

    private void moveToward(int uid, double reward, double step) {
        if (uid >= 0 && uid < scores.length) {
            scores[uid] += step * (reward - scores[uid]);
        }
    }

    private void unanswered(int uid) {
        if (uid >= 0 && uid < scores.length) {
            scores[uid] *= options.absentDecay();
        }
    }

    public synchronized double score(int uid) {
        return uid >= 0 && uid < scores.length ? scores[uid] : 0;
    }

    /** A copy of every score, index = uid. */
    public synchronized double[] scores() {
        return scores.clone();
    }

    public synchronized int size() {
        return scores.length;
    }

    public synchronized ScoreBookState snapshot() {
        List<Double> values = new ArrayList<>(scores.length);
        for (double s : scores) {
            values.add(s);
        }
        return new ScoreBookState(Arrays.asList(hotkeys.clone()), values);
    }
}
