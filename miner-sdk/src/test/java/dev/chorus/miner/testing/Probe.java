package dev.chorus.miner.testing;

import dev.chorus.miner.protocol.CanonicalJson;
import dev.chorus.miner.protocol.Epistula;
import dev.chorus.miner.protocol.Hotkey;
import dev.chorus.miner.protocol.QueryRequest;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/** Sends hand-made, possibly hostile, requests to a miner and returns status, headers and body. */
public final class Probe implements AutoCloseable {

    /** What came back; header names are lower-cased. */
    public record Reply(int status, Map<String, String> headers, Buffer body) {
        public String error() {
            return json().getString("error");
        }

        public String reason() {
            return json().getString("reason");
        }

        public JsonObject json() {
            return new JsonObject(body);
        }
    }

    /** A request before sending: mutate the headers or body to make it bad. */
    public static final class Draft {
        public final Map<String, String> headers = new LinkedHashMap<>();
        public byte[] body;
        public final QueryRequest query;

        Draft(QueryRequest query, byte[] body) {
            this.query = query;
            this.body = body;
        }
    }

    private final HttpClient http;
    private final Context context;
    private final int port;

    public Probe(Vertx vertx, int port) {
        // A fresh connection per probe: hostile probes end with the server closing mid-request.
        this.http = vertx.createHttpClient(new io.vertx.core.http.HttpClientOptions().setKeepAlive(false));
        this.context = vertx.getOrCreateContext();
        this.port = port;
    }

    /** A correctly signed query from {@code signer} to {@code receiver} with the given timestamp. */
    public static Draft signed(Hotkey signer, String receiver, long timestamp, int netuid) {
        QueryRequest query = QueryRequest.qa(UUID.randomUUID().toString(), netuid, "probe " + UUID.randomUUID(),
                timestamp + 5_000);
        byte[] body = CanonicalJson.write(query);
        Draft draft = new Draft(query, body);
        draft.headers.putAll(Epistula.sign(signer, body, receiver, timestamp).asRequestHeaders());
        return draft;
    }

    /** A correctly signed, given query, timestamped now. */
    public static Draft signed(Hotkey signer, String receiver, QueryRequest query) {
        byte[] body = CanonicalJson.write(query);
        Draft draft = new Draft(query, body);
        draft.headers.putAll(Epistula.sign(signer, body, receiver, System.currentTimeMillis()).asRequestHeaders());
        return draft;
    }

    public static Draft signedNow(Hotkey signer, String receiver) {
        return signed(signer, receiver, System.currentTimeMillis(), SubnetFixture.NETUID);
    }

    /** The head of {@code draft} as a POST to /v1/query puts it on the wire, for tests that write to a raw socket. */
    public static byte[] head(Draft draft) {
        StringBuilder head = new StringBuilder("POST /v1/query HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        draft.headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("Content-Length: ").append(draft.body.length).append("\r\n\r\n");
        return head.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Reads exactly one response from a raw socket's stream, so the socket can carry another.
     *
     * @throws IOException when the server closed the stream before a status line
     */
    public static Reply read(InputStream in) throws IOException {
        String statusLine = lineOf(in);
        if (statusLine.isEmpty()) {
            throw new IOException("closed by the server");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String header = lineOf(in); !header.isEmpty(); header = lineOf(in)) {
            int colon = header.indexOf(':');
            headers.put(header.substring(0, colon).strip().toLowerCase(java.util.Locale.ROOT),
                    header.substring(colon + 1).strip());
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        return new Reply(Integer.parseInt(statusLine.split(" ")[1]), headers, Buffer.buffer(in.readNBytes(length)));
    }

    /** One line of a response head without its CRLF; empty at the end of the head or of the stream. */
    private static String lineOf(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    public Reply send(Draft draft) {
        return send(draft.headers, draft.body, false);
    }

    /** Sends with chunked transfer encoding, so the server sees no Content-Length. */
    public Reply sendChunked(Draft draft) {
        return send(draft.headers, draft.body, true);
    }

    public Reply get(String path) {
        return within(() -> http.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port)
                        .setURI(path))
                .compose(req -> req.send())
                .compose(this::collect));
    }

    private Reply send(Map<String, String> headers, byte[] body, boolean chunked) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
                .setURI("/v1/query").putHeader("Content-Type", "application/json");
        headers.forEach(options::putHeader);
        return within(() -> http.request(options)
                .compose(req -> {
                    if (chunked) {
                        req.setChunked(true);
                        req.write(Buffer.buffer(body));
                        return req.end().compose(v -> req.response());
                    }
                    return req.send(Buffer.buffer(body));
                })
                .compose(this::collect));
    }

    /**
     * Runs the exchange on one event loop: a listener attached from another thread can run a tick
     * late and miss the response body.
     */
    private Reply within(Supplier<io.vertx.core.Future<Reply>> exchange) {
        Promise<Reply> reply = Promise.promise();
        context.runOnContext(v -> exchange.get().onComplete(reply));
        try {
            return reply.future().await(10, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("no reply within 10 s", e);
        }
    }

    private io.vertx.core.Future<Reply> collect(HttpClientResponse response) {
        Map<String, String> headers = new LinkedHashMap<>();
        response.headers().forEach(e -> headers.put(e.getKey().toLowerCase(java.util.Locale.ROOT), e.getValue()));
        return response.body().map(body -> new Reply(response.statusCode(), headers, body));
    }

    @Override
    public void close() {
        http.close().await();
    }
}
