package dev.chorus.scoring.book;

import java.util.List;

/**
 * What a {@link ScoreBook} persists: per uid, the hotkey its score belongs to and the score. Plain data, so the
 * validator can write it as JSON and read it back.
 *
 * @param hotkeys the hotkey of each uid, index = uid
 * @param scores  the moving-average score of each uid in [0, 1], index = uid
 */
public record ScoreBookState(List<String> hotkeys, List<Double> scores) {

    public ScoreBookState {
        hotkeys = List.copyOf(hotkeys);
        scores = List.copyOf(scores);
        if (hotkeys.size() != scores.size()) {
            throw new IllegalArgumentException("Score book state has " + hotkeys.size() + " hotkeys but "
                    + scores.size() + " scores; the file is damaged, delete it to start the book afresh");
        }
    }
}
