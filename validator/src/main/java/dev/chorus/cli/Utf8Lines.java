package dev.chorus.cli;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The input of {@code chorus embed}: lines of UTF-8 text, split where {@link java.io.BufferedReader#readLine} splits them (LF, CR or CRLF). Each line
 * is decoded on its own and strictly, so a line that is not UTF-8 is reported by its number: a decoding reader
 * would either put U+FFFD in its place (and embed another text) or fail a buffer ahead of the line it is on.
 */
final class Utf8Lines implements Closeable {

    private final InputStream in;
    private final String source;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private int number;
    private boolean afterCarriageReturn;

    /** @param source how a message names the input: {@code <stdin>} or the file's path */
    Utf8Lines(InputStream in, String source) {
        this.in = new BufferedInputStream(in);
        this.source = source;
    }

    /**
     * The next line without its terminator, or null at the end of the input.
     *
     * @throws UserInputException when the line is not UTF-8
     */
    String next() throws IOException {
        line.reset();
        int b = in.read();
        if (afterCarriageReturn && b == '\n') {
            b = in.read();
        }
        afterCarriageReturn = false;
        if (b < 0) {
            return null;
        }
        while (b >= 0 && b != '\n' && b != '\r') {
            line.write(b);
            b = in.read();
        }
        afterCarriageReturn = b == '\r';
        number++;
        try {
            return decoder.decode(ByteBuffer.wrap(line.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new UserInputException("chorus embed: line " + number + " of " + source
                    + " is not UTF-8; convert it, e.g. iconv -f latin1 -t utf-8", e);
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
