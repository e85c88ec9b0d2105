package dev.chorus.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Utf8LinesTest {

    @Test
    void splitsWhereReadLineSplits() throws IOException {
        assertThat(lines("a\r\nb\rc\n\nd — é")).containsExactly("a", "b", "c", "", "d — é");
        assertThat(lines("a\n")).containsExactly("a");
        assertThat(lines("\r\n\r\n")).containsExactly("", "");
        assertThat(lines("")).isEmpty();
    }

    @Test
    void aLoneSurrogateIsNotUtf8() {
        byte[] surrogate = {'o', 'k', '\n', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '\n'};
        assertThatThrownBy(() -> lines(surrogate, "<stdin>")).isInstanceOf(UserInputException.class)
                .hasMessage("chorus embed: line 2 of <stdin> is not UTF-8; convert it, e.g. iconv -f latin1 -t utf-8");
    }

    private static List<String> lines(String text) throws IOException {
        return lines(text.getBytes(StandardCharsets.UTF_8), "test");
    }

    private static List<String> lines(byte[] bytes, String source) throws IOException {
        List<String> lines = new ArrayList<>();
        try (Utf8Lines reader = new Utf8Lines(new ByteArrayInputStream(bytes), source)) {
            for (String line = reader.next(); line != null; line = reader.next()) {
                lines.add(line);
            }
        }
        return lines;
    }
}
