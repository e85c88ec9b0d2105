package dev.chorus.cli;

import dev.chorus.validator.state.Utf8LineReader;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;

/** The input of {@code chorus embed}: strict UTF-8 lines, where a line that is not UTF-8 is a usage error naming it. */
final class Utf8Lines implements Closeable {

    private final Utf8LineReader lines;
    private final String source;

    /** @param source how a message names the input: {@code <stdin>} or the file's path */
    Utf8Lines(InputStream in, String source) {
        this.lines = new Utf8LineReader(in);
        this.source = source;
    }

    /**
     * The next line without its terminator, or null at the end of the input.
     *
     * @throws UserInputException when the line is not UTF-8
     */
    String next() throws IOException {
        try {
            return lines.next();
        } catch (CharacterCodingException e) {
            throw new UserInputException("chorus embed: line " + lines.lineNumber() + " of " + source
                    + " is not UTF-8; convert it, e.g. iconv -f latin1 -t utf-8", e);
        }
    }

    @Override
    public void close() throws IOException {
        lines.close();
    }
}
