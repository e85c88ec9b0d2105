package dev.chorus.scoring.embedding;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

class TokenWindowsTest {

    private static final long CLS = 101;
    private static final long SEP = 102;

    private static WordPieceTokenizer.Tokens tokens(int n, int... continuationAt) {
        long[] ids = LongStream.rangeClosed(1000, 999 + n).toArray();
        boolean[] continues = new boolean[n];
        for (int i : continuationAt) continues[i] = true;
        return new WordPieceTokenizer.Tokens(ids, continues);
    }

    @Test
    void shortTextIsOneFramedWindow() {
        List<TokenWindows.Window> w = new TokenWindows(8, LongTextMode.CHUNK, 10, CLS, SEP).split(tokens(3));
        assertThat(w).hasSize(1);
        assertThat(w.get(0).ids()).containsExactly(CLS, 1000, 1001, 1002, SEP);
        assertThat(w.get(0).weight()).isEqualTo(3);
    }

    @Test
    void blankTextIsClsSep() {
        List<TokenWindows.Window> w = new TokenWindows(8, LongTextMode.CHUNK, 10, CLS, SEP).split(tokens(0));
        assertThat(w).singleElement().satisfies(x -> assertThat(x.ids()).containsExactly(CLS, SEP));
    }

    @Test
    void truncateKeepsTheFirstTokensThatFit() {
        List<TokenWindows.Window> w = new TokenWindows(5, LongTextMode.TRUNCATE, 10, CLS, SEP).split(tokens(9));
        assertThat(w).singleElement().satisfies(x -> assertThat(x.ids()).containsExactly(CLS, 1000, 1001, 1002, SEP));
    }

    @Test
    void chunkCoversEveryTokenOnce() {
        List<TokenWindows.Window> w = new TokenWindows(5, LongTextMode.CHUNK, 10, CLS, SEP).split(tokens(8));
        assertThat(w).hasSize(3);
        assertThat(w).allSatisfy(x -> assertThat(x.length()).isLessThanOrEqualTo(5));
        assertThat(w.stream().mapToInt(TokenWindows.Window::weight).sum()).isEqualTo(8);
        assertThat(w.get(2).ids()).containsExactly(CLS, 1006, 1007, SEP);
    }

    @Test
    void chunkDoesNotCutInsideAWord() {
        // token 3 continues the word started at token 2, so the first window ends before token 2
        List<TokenWindows.Window> w = new TokenWindows(5, LongTextMode.CHUNK, 10, CLS, SEP).split(tokens(6, 3));
        assertThat(w.get(0).ids()).containsExactly(CLS, 1000, 1001, SEP);
        assertThat(w.get(1).ids()).containsExactly(CLS, 1002, 1003, 1004, SEP);
    }

    @Test
    void aWordLongerThanAWindowIsCutAnyway() {
        List<TokenWindows.Window> w = new TokenWindows(4, LongTextMode.CHUNK, 10, CLS, SEP).split(tokens(5, 1, 2, 3, 4));
        assertThat(w.stream().mapToInt(TokenWindows.Window::weight).sum()).isEqualTo(5);
        assertThat(w).allSatisfy(x -> assertThat(x.length()).isLessThanOrEqualTo(4));
    }

    @Test
    void windowCountIsCapped() {
        List<TokenWindows.Window> w = new TokenWindows(3, LongTextMode.CHUNK, 4, CLS, SEP).split(tokens(100));
        assertThat(w).hasSize(4);
    }
}
