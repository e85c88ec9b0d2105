package dev.chorus.scoring.embedding;

import java.util.ArrayList;
import java.util.List;

/** Natural-language texts of chosen lengths for embedding tests. */
final class SampleTexts {

    /** Common English words that the all-MiniLM WordPiece vocabulary keeps as one token each. */
    private static final String[] ONE_TOKEN_WORDS = ("the river runs past an old mill where farmers bring grain "
            + "every autumn and children play by the water while their parents talk about the weather the price of "
            + "bread and news from the city").split(" ");

    private SampleTexts() {
    }

    /** A text of exactly {@code n} one-token words. */
    static String words(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            if (i > 0) sb.append(' ');
            sb.append(ONE_TOKEN_WORDS[i % ONE_TOKEN_WORDS.length]);
        }
        return sb.toString();
    }

    static List<String> mixedLengths() {
        List<String> texts = new ArrayList<>(List.of(
                "hello world",
                "Photosynthesis converts light energy into chemical energy stored in glucose.",
                "Rust's borrow checker prevents data races at compile time by enforcing ownership rules.",
                "",
                "The French Revolution began in 1789 and ended the absolute monarchy of Louis XVI; it spread ideas "
                        + "of liberty, equality and fraternity across Europe and reshaped its politics for a century.",
                "ok",
                "To reverse a linked list, walk it once while pointing each node's next field at the previous node."));
        texts.add(words(40));
        texts.add(words(180));
        texts.add(words(300));
        return texts;
    }
}
