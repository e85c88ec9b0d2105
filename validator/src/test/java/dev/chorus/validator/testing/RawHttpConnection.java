package dev.chorus.validator.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * HTTP/1.1 over a plain socket, for tests of what a listener does with a connection (closes it, keeps it) that an
 * HTTP client library hides: it pools, retries, and reads no further than the answer.
 */
public final class RawHttpConnection implements AutoCloseable {

    private static final int PATIENCE_MILLIS = 3000;

    private final Socket socket;

    private RawHttpConnection(Socket socket) {
        this.socket = socket;
    }

    public static RawHttpConnection open(int port) throws IOException {
        return open(port, "127.0.0.1");
    }

    /** @param from the loopback address to connect from (127.0.0.2 is another sender network than 127.0.0.1) */
    public static RawHttpConnection open(int port, String from) throws IOException {
        Socket socket = new Socket(InetAddress.getByName("127.0.0.1"), port, InetAddress.getByName(from), 0);
        socket.setSoTimeout(PATIENCE_MILLIS);
        return new RawHttpConnection(socket);
    }

    /**
     * The status line answering {@code request} on a fresh connection, trying again within {@code patience} while the
     * listener closes new connections on arrival: it counts a closed connection out only once it has seen it close.
     */
    /**
     * Asserts that a listener allowing two connections per sender network serves two from 127.0.0.1, closes a third
     * from there as it arrives, and still serves 127.0.0.2; {@code request} is one the listener answers 200.
     */
    public static void assertTwoPerNetwork(int port, String request) throws IOException {
        List<RawHttpConnection> held = new ArrayList<>();
        try {
            for (int k = 0; k < 2; k++) {
                RawHttpConnection connection = open(port);
                connection.write(request);
                assertThat(connection.statusLine()).isEqualTo("HTTP/1.1 200 OK");
                held.add(connection);
            }
            try (RawHttpConnection third = open(port)) {
                third.write(request);
                assertThat(third.statusLine()).as("a third connection from 127.0.0.1 is closed as it arrives").isEmpty();
            }
            try (RawHttpConnection other = open(port, "127.0.0.2")) {
                other.write(request);
                assertThat(other.statusLine()).as("another address is served").isEqualTo("HTTP/1.1 200 OK");
            }
        } finally {
            for (RawHttpConnection connection : held) {
                connection.close();
            }
        }
    }

    public static String statusOnceRoomIsFree(int port, String request, Duration patience) throws Exception {
        long until = System.nanoTime() + patience.toNanos();
        while (true) {
            try (RawHttpConnection connection = open(port)) {
                connection.write(request);
                String status = connection.statusLine();
                if (!status.isEmpty() || System.nanoTime() > until) {
                    return status;
                }
            } catch (SocketException closedOnArrival) {
                if (System.nanoTime() > until) {
                    throw closedOnArrival;
                }
            }
            Thread.sleep(50);
        }
    }

    public void write(String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        socket.getOutputStream().flush();
    }

    /** The whole answer, read until the server closes the connection; fails when it sends nothing or keeps it open. */
    public String readUntilClosed() throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[4096];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                got.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException stillOpen) {
            fail(got.size() == 0 ? "the server sent nothing within " + PATIENCE_MILLIS + " ms"
                    : "the server kept the connection open after answering: " + got.toString(StandardCharsets.UTF_8));
        }
        return got.toString(StandardCharsets.UTF_8);
    }

    /**
     * Sends a byte every 100 ms until the server closes the connection, as a client holding it open would.
     *
     * @return how long the server kept the connection; fails when it still keeps it after {@code patience}
     */
    public Duration trickleUntilClosed(Duration patience) throws Exception {
        long started = System.nanoTime();
        while (System.nanoTime() - started < patience.toNanos()) {
            try {
                write("a");
                Thread.sleep(100);
            } catch (SocketException reset) {
                return Duration.ofNanos(System.nanoTime() - started);
            }
            if (closedByServer()) {
                return Duration.ofNanos(System.nanoTime() - started);
            }
        }
        return fail("the server kept a connection open while a byte trickled in every 100 ms for " + patience.toMillis() + " ms");
    }

    /** Whether the server has closed the connection: a read finds its end at once instead of waiting for data. */
    private boolean closedByServer() throws IOException {
        socket.setSoTimeout(1);
        try {
            return socket.getInputStream().read() < 0;
        } catch (SocketTimeoutException open) {
            return false;
        } catch (SocketException reset) {
            return true;
        } finally {
            socket.setSoTimeout(PATIENCE_MILLIS);
        }
    }

    /** The first line of the answer, e.g. {@code HTTP/1.1 200 OK}; empty when the server closed the connection instead. */
    public String statusLine() throws IOException {
        StringBuilder line = new StringBuilder();
        InputStream in = socket.getInputStream();
        try {
            for (int c; (c = in.read()) >= 0 && c != '\r'; ) {
                line.append((char) c);
            }
        } catch (SocketException reset) {
            // closed with a reset rather than an end of stream: what came before it is the whole answer
        }
        return line.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
