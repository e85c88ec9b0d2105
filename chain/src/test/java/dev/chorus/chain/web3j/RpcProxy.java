package dev.chorus.chain.web3j;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A real HTTP hop in front of Anvil that records each JSON-RPC method and can fail requests or lose replies. */
final class RpcProxy implements AutoCloseable {

    private final HttpServer server;
    private final HttpClient upstream = HttpClient.newHttpClient();
    private final List<String> methods = new CopyOnWriteArrayList<>();
    private final AtomicInteger failures = new AtomicInteger();
    private volatile String dropReplyOf;

    RpcProxy(String target) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String method = new ObjectMapper().readTree(body).path("method").asText();
            methods.add(method);
            if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                exchange.sendResponseHeaders(503, -1);
                exchange.close();
                return;
            }
            try {
                HttpResponse<byte[]> reply = upstream.send(HttpRequest.newBuilder(URI.create(target))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
                if (method.equals(dropReplyOf)) {
                    dropReplyOf = null;
                    exchange.sendResponseHeaders(503, -1);
                    exchange.close();
                    return;
                }
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(reply.statusCode(), reply.body().length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(reply.body());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exchange.sendResponseHeaders(502, -1);
            }
            exchange.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void failNext(int requests) {
        failures.set(requests);
    }

    /** Forwards the next request of {@code method} but answers 503, as if the reply were lost on the way back. */
    void dropNextReplyOf(String method) {
        dropReplyOf = method;
    }

    List<String> methods() {
        return List.copyOf(methods);
    }

    void clear() {
        methods.clear();
    }

    @Override
    public void close() {
        server.stop(0);
        upstream.close();
    }
}
