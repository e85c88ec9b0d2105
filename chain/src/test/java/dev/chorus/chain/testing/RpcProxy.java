package dev.chorus.chain.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real HTTP hop in front of Anvil that records each JSON-RPC method and can fail requests, lose replies, gather
 * concurrent requests, or stop listening altogether (connections refused) and start again on the same port, as a
 * node that went down would.
 */
public final class RpcProxy implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** How a faulted request is answered. */
    public enum Fault {
        /** HTTP 503 with no body: what a load balancer answers with no node behind it. */
        HTTP_503,
        /** HTTP 500 with no body. */
        HTTP_500,
        /** HTTP 404 with no body: a wrong path, or a gateway that does not know the API key in the URL. */
        HTTP_404,
        /** HTTP 200 carrying an HTML page: a URL that points at a web server instead of a node. */
        HTML_PAGE,
        /** HTTP 200 carrying JSON-RPC error -32005 (limit exceeded), which providers send when rate limiting. */
        RPC_LIMIT_EXCEEDED,
        /**
         * HTTP 200 carrying JSON-RPC error -32000 "header not found": a provider's backend asked about a block it has not
         * seen yet, or has pruned.
         */
        RPC_HEADER_NOT_FOUND,
        /** No answer at all: the request is held until the fault is lifted, then the connection is closed. */
        HANG
    }

    private final String target;
    private final int port;
    private final HttpClient upstream = HttpClient.newHttpClient();
    private final List<String> methods = new CopyOnWriteArrayList<>();
    private final List<JsonNode> requestsSeen = new CopyOnWriteArrayList<>();
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicLong faulted = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private volatile String dropReplyOf;
    private volatile String failingMethod;
    private volatile Fault methodFault = Fault.HTTP_503;
    private final AtomicInteger methodFailures = new AtomicInteger();
    private volatile Interjection interjection;
    private volatile Fault fault;
    private volatile int faultEvery;
    private volatile Gathering gathering;
    private HttpServer server;

    public RpcProxy(String target) throws IOException {
        this.target = target;
        this.server = listen(0);
        this.port = server.getAddress().getPort();
    }

    private HttpServer listen(int onPort) throws IOException {
        HttpServer listening = HttpServer.create(new InetSocketAddress("127.0.0.1", onPort), 0);
        listening.createContext("/", this::handle);
        // A thread per exchange, so that a held request does not stall the others.
        listening.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        listening.start();
        return listening;
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        JsonNode request = JSON.readTree(body);
        String method = request.path("method").asText();
        methods.add(method);
        requestsSeen.add(request);
        long number = requests.incrementAndGet();
        if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            answer(exchange, Fault.HTTP_503, request);
            return;
        }
        if (method.equals(failingMethod) && methodFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            answer(exchange, methodFault, request);
            return;
        }
        Interjection first = interjection;
        if (first != null && first.method().equals(method)) {
            interjection = null;
            first.action().run();
        }
        Fault armed = fault;
        if (armed != null && number % faultEvery == 0) {
            answer(exchange, armed, request);
            return;
        }
        try {
            Gathering held = gathering;
            if (held != null && held.method().equals(method)) {
                held.arrived().countDown();
                if (!held.arrived().await(30, TimeUnit.SECONDS)) {
                    throw new IOException("only part of the gathered " + method + " requests arrived");
                }
            }
            HttpResponse<byte[]> reply = upstream.send(HttpRequest.newBuilder(URI.create(target))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
            if (method.equals(dropReplyOf)) {
                dropReplyOf = null;
                answer(exchange, Fault.HTTP_503, request);
                return;
            }
            reply(exchange, reply.statusCode(), reply.body());
        } catch (IOException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(502, -1);
            exchange.close();
        }
    }

    private void answer(HttpExchange exchange, Fault with, JsonNode request) throws IOException {
        faulted.incrementAndGet();
        switch (with) {
            case HTTP_503, HTTP_500, HTTP_404 -> {
                exchange.sendResponseHeaders(switch (with) {
                    case HTTP_503 -> 503;
                    case HTTP_404 -> 404;
                    default -> 500;
                }, -1);
                exchange.close();
            }
            case HTML_PAGE -> reply(exchange, 200, "<html><body>It works!</body></html>".getBytes(StandardCharsets.UTF_8));
            case RPC_LIMIT_EXCEEDED -> rpcError(exchange, request, -32005, "limit exceeded");
            case RPC_HEADER_NOT_FOUND -> rpcError(exchange, request, -32000, "header not found");
            case HANG -> {
                while (fault == Fault.HANG) {
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
                exchange.close();
            }
        }
    }

    private static void rpcError(HttpExchange exchange, JsonNode request, int code, String message) throws IOException {
        reply(exchange, 200, ("{\"jsonrpc\":\"2.0\",\"id\":" + request.path("id") + ",\"error\":{\"code\":" + code
                + ",\"message\":\"" + message + "\"}}").getBytes(StandardCharsets.UTF_8));
    }

    private static void reply(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
        exchange.close();
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public void failNext(int requests) {
        failures.set(requests);
    }

    /** Answers every {@code every}-th request from now on with {@code with} instead of forwarding it; null stops. */
    public void fail(Fault with, int every) {
        if (every < 1) {
            throw new IllegalArgumentException("every must be at least 1, got " + every);
        }
        faultEvery = every;
        fault = with;
    }

    /** Forwards the next request of {@code method} but answers 503, as if the reply were lost on the way back. */
    public void dropNextReplyOf(String method) {
        dropReplyOf = method;
    }

    /** Answers the next {@code count} requests of {@code method} with HTTP 503, passing every other method on. */
    public void failNextOf(String method, int count) {
        failNextOf(method, count, Fault.HTTP_503);
    }

    /** Answers the next {@code count} requests of {@code method} with {@code with}, passing every other method on. */
    public void failNextOf(String method, int count, Fault with) {
        methodFault = with;
        failingMethod = method;
        methodFailures.set(count);
    }

    /**
     * Runs {@code action} just before the next request of {@code method} is passed on, as when another client's
     * transaction lands between what this client read and what it sends.
     */
    public void beforeNext(String method, Runnable action) {
        interjection = new Interjection(method, action);
    }

    private record Interjection(String method, Runnable action) {
    }

    /**
     * Holds requests of {@code method} until {@code count} of them wait, then forwards them together (later ones pass
     * straight through): clients that prepared their transactions against one state deliver them at once, as
     * truly concurrent senders do.
     */
    public void gather(String method, int count) {
        gathering = new Gathering(method, new CountDownLatch(count));
    }

    private record Gathering(String method, CountDownLatch arrived) {
    }

    /** Stops listening: connections to {@link #url} are refused until {@link #restart}. */
    public synchronized void stop() {
        server.stop(0);
    }

    /** Listens again on the same port. */
    public synchronized void restart() throws IOException {
        server = listen(port);
    }

    public List<String> methods() {
        return List.copyOf(methods);
    }

    /** The JSON-RPC requests of {@code method} passed on so far, whole (params included), oldest first. */
    public List<JsonNode> requests(String method) {
        return requestsSeen.stream().filter(r -> r.path("method").asText().equals(method)).toList();
    }

    /** Requests answered with a fault (by {@link #failNext}, {@link #fail} or a dropped reply) so far. */
    public long faulted() {
        return faulted.get();
    }

    public void clear() {
        methods.clear();
        requestsSeen.clear();
    }

    @Override
    public synchronized void close() {
        fault = null;
        server.stop(0);
        upstream.close();
    }
}
