package dev.chorus.scoring.embedding;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a tokenized text into model sequences of at most {@code maxTokens}, each framed as [CLS] … [SEP].
 * In CHUNK mode a cut never lands inside a word (before a "##" piece) unless one word fills a whole window.
 */
final class TokenWindows {

    /** One model sequence and the weight of its embedding in the text's average (its content token count). */
    record Window(long[] ids, int weight) {
        int length() {
            return ids.length;
        }
    }

    private final int maxTokens;
    private final LongTextMode mode;
    private final int maxWindows;
    private final long clsId;
    private final long sepId;

    TokenWindows(int maxTokens, LongTextMode mode, int maxWindows, long clsId, long sepId) {
        this.maxTokens = maxTokens;
        this.mode = mode;
        this.maxWindows = maxWindows;
        this.clsId = clsId;
        this.sepId = sepId;
    }

    /** At least one window; a blank text is the single window [CLS] [SEP]. */
    List<Window> split(WordPieceTokenizer.Tokens tokens) {
        int capacity = maxTokens - 2;
        int n = tokens.size();
        if (n <= capacity || mode == LongTextMode.TRUNCATE) {
            return List.of(frame(tokens.ids(), 0, Math.min(n, capacity)));
        }
        List<Window> windows = new ArrayList<>();
        int start = 0;
        while (start < n && windows.size() < maxWindows) {
            int end = Math.min(n, start + capacity);
            if (end < n) {
                int cut = end;
                while (cut > start + 1 && tokens.continuesWord()[cut]) {
                    cut--;
                }
                end = tokens.continuesWord()[cut] ? end : cut;
            }
            windows.add(frame(tokens.ids(), start, end));
            start = end;
        }
        return windows;
    }

    private Window frame(long[] content, int from, int to) {
        long[] ids = new long[to - from + 2];
        ids[0] = clsId;
        System.arraycopy(content, from, ids, 1, to - from);
        ids[ids.length - 1] = sepId;
        return new Window(ids, Math.max(1, to - from));
    }
}
