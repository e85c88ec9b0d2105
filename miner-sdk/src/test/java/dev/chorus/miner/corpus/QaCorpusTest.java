package dev.chorus.miner.corpus;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QaCorpusTest {

    private static final String GOOD = "{\"id\":\"a-1\",\"topic\":\"t\",\"question\":\"Q?\",\"answer\":\"A.\"}";

    @Test
    void builtInCorpusHasAtLeast300DistinctPairsAcrossManyTopics() {
        QaCorpus corpus = QaCorpus.builtIn();
        assertThat(corpus.size()).isGreaterThanOrEqualTo(300);
        assertThat(corpus.topics()).hasSizeGreaterThanOrEqualTo(25);
        Set<String> questions = new HashSet<>();
        for (QaPair pair : corpus.pairs()) {
            assertThat(questions.add(pair.question().toLowerCase(Locale.ROOT))).as(pair.id()).isTrue();
            assertThat(pair.answer().length()).as(pair.id()).isBetween(30, 400);
        }
    }

    @Test
    void readsEntriesSkippingBlankAndCommentLines() throws IOException {
        QaCorpus corpus = QaCorpus.read(new StringReader("# my corpus\n\n" + GOOD + "\n"), "test");
        assertThat(corpus.pairs()).containsExactly(new QaPair("a-1", "t", "Q?", "A."));
        assertThat(corpus.byId("a-1")).isPresent();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{not json|line 1: not a JSON object",
            "[1,2]|line 1: expected a JSON object",
            "{\"id\":\"x\",\"topic\":\"t\",\"question\":\"q\"}|line 1: \"answer\" is missing",
            "{\"id\":\"x\",\"topic\":\"t\",\"question\":\"  \",\"answer\":\"a\"}|line 1: \"question\" is missing or not a non-empty string",
            "{\"id\":\"x\",\"topic\":\"t\",\"question\":\"q\",\"answer\":\"...\"}|line 1: \"answer\" has no letter or digit",
            "{\"id\":7,\"topic\":\"t\",\"question\":\"q\",\"answer\":\"a\"}|line 1: \"id\" is missing",
    })
    void badLinesAreReportedWithTheirLineNumber(String line, String expected) {
        assertThatThrownBy(() -> QaCorpus.read(new StringReader(line), "bad.jsonl"))
                .isInstanceOf(CorpusException.class)
                .hasMessageContaining("corpus bad.jsonl is not usable")
                .hasMessageContaining(expected);
    }

    @Test
    void duplicateIdsAreRejectedNamingBothLines() {
        assertThatThrownBy(() -> QaCorpus.read(new StringReader(GOOD + "\n" + GOOD + "\n"), "dup.jsonl"))
                .hasMessageContaining("line 2: id \"a-1\" is already used on line 1");
    }

    @Test
    void everyProblemIsListedNotJustTheFirst() {
        CorpusException error = (CorpusException) org.assertj.core.api.Assertions.catchThrowable(
                () -> QaCorpus.read(new StringReader("{x\n" + GOOD + "\n[]\n"), "many.jsonl"));
        assertThat(error.problems()).hasSize(2);
    }

    @Test
    void emptyAndMissingFilesSayWhatToDo() {
        assertThatThrownBy(() -> QaCorpus.read(new StringReader("\n# nothing\n"), "empty.jsonl"))
                .hasMessageContaining("no entries");
        assertThatThrownBy(() -> QaCorpus.load(Path.of("/nonexistent/corpus.jsonl")))
                .hasMessageContaining("no such file");
    }

    @Test
    void aFolderOrAFileThatIsNotUtf8IsNamedForWhatItIsAndNoSettingIsGuessed(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        assertThatThrownBy(() -> QaCorpus.load(dir))
                .hasMessage("corpus " + dir + " is not usable:\n  it is a folder; give the JSONL file in it");
        Path latin1 = java.nio.file.Files.write(dir.resolve("latin1.jsonl"), new byte[] {'{', (byte) 0xE9, '}', '\n'});
        assertThatThrownBy(() -> QaCorpus.load(latin1)).hasMessage("corpus " + latin1 + " is not usable:\n  it is not"
                + " UTF-8 text; convert it, e.g. iconv -f latin1 -t utf-8");
        assertThatThrownBy(() -> QaCorpus.load(dir.resolve("absent.jsonl"))).hasMessageNotContaining("model.corpus");
    }
}
