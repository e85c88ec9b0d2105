package dev.chorus.validator.state;

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
 * Lines of UTF-8 text, split where {@link java.io.BufferedReader#readLine} splits them (LF, CR or CRLF), each decoded
 * on its own and strictly. A decoding reader would put U+FFFD in place of bytes that are not UTF-8 (and so read
 * another text) or fail a buffer ahead of the line it is on; here the line at fault is known by its number, and the
 * lines after it can still be read.
 */
public final class Utf8LineReader implements Closeable {

    private final InputStream in;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private int number;
    private boolean afterCarriageReturn;
    private boolean terminated;

    public Utf8LineReader(InputStream in) {
        this.in = new BufferedInputStream(in);
    }

    /**
     * The next line without its terminator, or null at the end of the input.
     *
     * @throws CharacterCodingException when that line is not UTF-8; the next call reads the line after it
     */
    public String next() throws IOException {
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
        terminated = b >= 0;
        number++;
        return decoder.decode(ByteBuffer.wrap(line.toByteArray())).toString();
    }

    /** The number, from 1, of the line the last {@link #next} read. */
    public int lineNumber() {
        return number;
    }

    /**
     * Whether the line the last {@link #next} read ended with a line break: only the last line of an input can end
     * without one, and a file's last line ends so when its writer stopped in the middle of it.
     */
    public boolean terminated() {
        return terminated;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
