package dev.chorus.validator.hardening;

import dev.chorus.miner.protocol.CanonicalJson;
import dev.chorus.miner.protocol.Epistula;
import dev.chorus.miner.protocol.EpistulaHeaders;
import dev.chorus.miner.protocol.Hotkey;
import dev.chorus.miner.protocol.QueryRequest;
import dev.chorus.miner.protocol.QueryResponse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A miner axon written on a bare socket so it can misbehave below HTTP: it reads a real signed query, builds the
 * answer an honest miner would send, and then answers as its current {@link MinerFault} says.
 */
final class HostileAxon implements AutoCloseable {

    private static final byte[] CRLF = "\r\n".getBytes(StandardCharsets.US_ASCII);

    private final Hotkey minerKey;
    private final Hotkey impostor = Hotkey.random();
    private final String answerText;
    private final int port;
    private volatile MinerFault fault = MinerFault.HTTP_500;
    private volatile ServerSocket listener;
    private volatile Signed previous;
    private volatile boolean closed;

    /** A whole signed answer, kept so it can be replayed for a later query. */
    private record Signed(byte[] body, EpistulaHeaders headers) {
    }

    HostileAxon(Hotkey minerKey, String answerText) throws IOException {
        this.minerKey = minerKey;
        this.answerText = answerText;
        this.listener = bind(0);
        this.port = listener.getLocalPort();
        Thread.ofPlatform().daemon().name("hostile-axon").start(this::acceptLoop);
    }

    int port() {
        return port;
    }

    /** Switches behaviour for connections accepted from now on; REFUSED closes the listening socket itself. */
    synchronized void behave(MinerFault next) throws IOException {
        if (next == MinerFault.REFUSED && fault != MinerFault.REFUSED) {
            listener.close();
        } else if (next != MinerFault.REFUSED && fault == MinerFault.REFUSED) {
            listener = bind(port);
            Thread.ofPlatform().daemon().name("hostile-axon").start(this::acceptLoop);
        }
        fault = next;
    }

    private static ServerSocket bind(int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return socket;
    }

    private void acceptLoop() {
        ServerSocket mine = listener;
        while (!closed && !mine.isClosed()) {
            try {
                Socket connection = mine.accept();
                Thread.ofVirtual().start(() -> serve(connection));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket connection) {
        try (connection) {
            connection.setSoTimeout(10_000);
            MinerFault now = fault;
            InputStream in = connection.getInputStream();
            Map<String, String> headers = readHead(in);
            byte[] body = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0").strip()));
            QueryRequest query = CanonicalJson.read(body, QueryRequest.class);
            String validator = headers.get(EpistulaHeaders.SIGNED_BY.toLowerCase(Locale.ROOT));
            String uuid = headers.get(EpistulaHeaders.UUID.toLowerCase(Locale.ROOT));
            Signed honest = sign(minerKey, CanonicalJson.write(new QueryResponse(query.queryId(), answerText, null, null)),
                    validator, uuid);
            misbehave(now, connection, honest, query.queryId(), validator, uuid);
        } catch (IOException | RuntimeException e) {
            // the validator hung up first (deadline, cap or reset): exactly what several faults provoke
        }
    }

    private void misbehave(MinerFault now, Socket connection, Signed honest, String queryId, String validator,
                           String uuid)
            throws IOException {
        OutputStream out = connection.getOutputStream();
        switch (now) {
            case REFUSED -> connection.setSoLinger(true, 0);
            case RESET_MID_RESPONSE -> {
                writeHead(out, 200, honest.headers(), honest.body().length + 4096);
                out.write(honest.body(), 0, honest.body().length / 2);
                out.flush();
                connection.setSoLinger(true, 0);
            }
            case TIMEOUT -> connection.getInputStream().read();
            case SLOW_LORIS -> {
                writeHead(out, 200, honest.headers(), honest.body().length);
                for (byte b : honest.body()) {
                    out.write(b);
                    out.flush();
                    sleep(150);
                }
            }
            case HTTP_500 -> {
                byte[] text = "{\"error\":\"internal\",\"reason\":\"boom\"}".getBytes(StandardCharsets.UTF_8);
                writeHead(out, 500, null, text.length);
                out.write(text);
            }
            case MALFORMED_JSON -> send(out, sign(minerKey,
                    ("{\"queryId\": \"" + queryId + "\", \"answer\": ").getBytes(StandardCharsets.UTF_8), validator, uuid));
            case DEEPLY_NESTED_JSON -> send(out, sign(minerKey, nested(queryId, 30_000), validator, uuid));
            case INVALID_UTF8 -> {
                ByteArrayOutputStream broken = new ByteArrayOutputStream();
                broken.writeBytes(("{\"queryId\":\"" + queryId + "\",\"answer\":\"").getBytes(StandardCharsets.UTF_8));
                broken.writeBytes(new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF, (byte) 0xFE});
                broken.writeBytes("\"}".getBytes(StandardCharsets.UTF_8));
                send(out, sign(minerKey, broken.toByteArray(), validator, uuid));
            }
            case BODY_50MB -> {
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
                        + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                byte[] chunk = new byte[64 * 1024];
                java.util.Arrays.fill(chunk, (byte) 'a');
                byte[] size = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
                for (int sent = 0; sent < 50 * 1024 * 1024; sent += chunk.length) {
                    out.write(size);
                    out.write(chunk);
                    out.write(CRLF);
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            case WRONG_SIGNATURE -> {
                Signed forged = sign(impostor, honest.body(), validator, uuid);
                EpistulaHeaders claimed = new EpistulaHeaders(forged.headers().version(), forged.headers().timestamp(),
                        uuid, minerKey.address(), validator, forged.headers().signature());
                send(out, new Signed(honest.body(), claimed));
            }
            case REPLAYED_RESPONSE -> {
                Signed old = previous;
                previous = honest;
                send(out, old == null ? sign(minerKey, honest.body(), validator, java.util.UUID.randomUUID().toString())
                        : old);
            }
        }
        out.flush();
    }

    /** A whole answer whose extra field nests arrays {@code depth} deep, so only a depth limit can refuse it. */
    private static byte[] nested(String queryId, int depth) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("{\"queryId\":\"" + queryId + "\",\"answer\":\"deep\",\"extra\":").getBytes(StandardCharsets.UTF_8));
        body.writeBytes("[".repeat(depth).getBytes(StandardCharsets.US_ASCII));
        body.writeBytes("]".repeat(depth).getBytes(StandardCharsets.US_ASCII));
        body.writeBytes("}".getBytes(StandardCharsets.US_ASCII));
        return body.toByteArray();
    }

    private static Signed sign(Hotkey signer, byte[] body, String validator, String uuid) {
        return new Signed(body, Epistula.sign(signer, body, validator, uuid, System.currentTimeMillis()));
    }

    private static void send(OutputStream out, Signed signed) throws IOException {
        writeHead(out, 200, signed.headers(), signed.body().length);
        out.write(signed.body());
    }

    private static void writeHead(OutputStream out, int status, EpistulaHeaders signed, long length) throws IOException {
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status).append(status == 200 ? " OK" : " Error")
                .append("\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: ").append(length)
                .append("\r\n");
        if (signed != null) {
            signed.asResponseHeaders().forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        }
        out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static Map<String, String> readHead(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        Map<String, String> headers = new TreeMap<>();
        boolean first = true;
        int b;
        while ((b = in.read()) >= 0) {
            if (b != '\n') {
                if (b != '\r') {
                    line.write(b);
                }
                continue;
            }
            String text = line.toString(StandardCharsets.US_ASCII);
            line.reset();
            if (text.isEmpty()) {
                return headers;
            }
            int colon = text.indexOf(':');
            if (!first && colon > 0) {
                headers.put(text.substring(0, colon).strip().toLowerCase(Locale.ROOT), text.substring(colon + 1).strip());
            }
            first = false;
        }
        throw new IOException("connection closed inside the request head");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        listener.close();
    }
}
