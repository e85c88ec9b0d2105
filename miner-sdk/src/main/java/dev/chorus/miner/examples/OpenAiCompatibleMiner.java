package dev.chorus.miner.examples;

import dev.chorus.miner.protocol.QueryRequest;
import dev.chorus.miner.server.AsyncMiner;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Forwards each prompt to an OpenAI-compatible {@code /v1/chat/completions} endpoint (vLLM,
 * llama.cpp server, Ollama, a hosted API) and answers with the first choice's message. The upstream
 * call is bounded by {@code timeout} and by the query's own deadline, whichever ends first, from the request to the
 * last byte of the reply. It uses Vert.x's core client, not WebClient: a WebClient request can be given only an idle
 * timeout, which an upstream sending a byte now and then never reaches, and it cannot be cut short.
 */
public final class OpenAiCompatibleMiner implements AsyncMiner, AutoCloseable {

    private final Vertx vertx;
    private final HttpClient client;
    private final String url;
    private final String modelsUrl;
    private final long connectTimeoutMs;
    private final String modelName;
    private final String apiKey;
    private final Duration timeout;
    private final int maxTokens;
    private final String systemPrompt;

    /**
     * @param baseUrl   server root, e.g. {@code http://127.0.0.1:8000} (the path {@code /v1/chat/completions} is added)
     * @param modelName the {@code model} field sent upstream
     * @param apiKey    bearer token, or null when the server needs none
     * @param timeout   longest wait for the upstream answer
     * @param maxTokens cap on the generated answer's length
     * @param systemPrompt system message sent before each question; empty sends none
     * @param maxConnections upstream requests at once: as many as the miner server admits, or queries wait in the
     *                       client's queue (Vert.x's default is 5 per host) and lose time against their deadline
     */
    public OpenAiCompatibleMiner(Vertx vertx, String baseUrl, String modelName, String apiKey, Duration timeout,
                                 int maxTokens, String systemPrompt, int maxConnections) {
        if (baseUrl == null || !baseUrl.matches("https?://.+")) {
            throw new IllegalArgumentException("baseUrl must be an http(s) URL such as http://127.0.0.1:8000, got " + baseUrl);
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be a positive duration, got " + timeout);
        }
        this.connectTimeoutMs = Math.min(timeout.toMillis(), 5_000);
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1, got " + maxConnections);
        }
        this.vertx = vertx;
        this.client = vertx.httpClientBuilder()
                .with(new HttpClientOptions().setConnectTimeout((int) connectTimeoutMs))
                .with(new PoolOptions().setHttp1MaxSize(maxConnections).setHttp2MaxSize(maxConnections))
                .build();
        String root = baseUrl.replaceAll("/+$", "");
        this.url = root + "/v1/chat/completions";
        this.modelsUrl = root + "/v1/models";
        this.modelName = modelName;
        this.apiKey = apiKey;
        this.timeout = timeout;
        this.maxTokens = maxTokens;
        this.systemPrompt = systemPrompt == null ? "" : systemPrompt;
    }

    @Override
    public CompletionStage<String> answer(QueryRequest query) {
        long budget = Math.min(timeout.toMillis(), query.deadline() - System.currentTimeMillis());
        if (budget <= 0) {
            return Future.<String>failedFuture(new IllegalStateException("no time left before the query deadline"))
                    .toCompletionStage();
        }
        JsonArray messages = new JsonArray();
        if (!systemPrompt.isEmpty()) {
            messages.add(new JsonObject().put("role", "system").put("content", systemPrompt));
        }
        messages.add(new JsonObject().put("role", "user").put("content", query.prompt()));
        JsonObject request = new JsonObject()
                .put("model", modelName)
                .put("max_tokens", maxTokens)
                .put("messages", messages);
        Promise<String> answer = Promise.promise();
        AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
        // Reset at the bound: a call left to run on would keep its connection, and with every connection so held the
        // next queries would wait for one until their own deadlines passed.
        long timer = vertx.setTimer(budget, id -> {
            if (answer.tryFail(new TimeoutException("no answer from " + url + " within " + budget + " ms"))) {
                HttpClientRequest inFlight = sent.get();
                if (inFlight != null) {
                    inFlight.reset();
                }
            }
        });
        client.request(upstream(HttpMethod.POST, url).setConnectTimeout(Math.min(budget, connectTimeoutMs))
                        .putHeader("Content-Type", "application/json"))
                .compose(call -> {
                    // Kept before the check: a bound that passes on another thread meanwhile finds it and resets it.
                    sent.set(call);
                    if (answer.future().isComplete()) {
                        call.reset();
                        return Future.failedFuture(answer.future().cause());
                    }
                    // The body is asked for in the callback of send() itself, as Vert.x documents: chained one
                    // future further out, the request came a turn of the event loop late, after the reply had
                    // streamed past, and about one call in 300 then never ended.
                    return call.send(request.toBuffer())
                            .compose(response -> response.body().compose(body -> firstChoice(response, body)));
                })
                .onComplete(result -> {
                    vertx.cancelTimer(timer);
                    if (result.succeeded()) {
                        answer.tryComplete(result.result());
                    } else {
                        answer.tryFail(result.cause());
                    }
                });
        return answer.future().toCompletionStage();
    }

    private RequestOptions upstream(HttpMethod method, String absoluteUrl) {
        // Named, as WebClient named its requests: some hosted APIs' front doors turn away requests without one.
        RequestOptions options = new RequestOptions().setMethod(method).setAbsoluteURI(absoluteUrl)
                .putHeader("User-Agent", "chorus-miner");
        if (apiKey != null && !apiKey.isBlank()) {
            options.putHeader("Authorization", "Bearer " + apiKey);
        }
        return options;
    }

    private static Future<String> firstChoice(HttpClientResponse response, Buffer body) {
        if (response.statusCode() != 200) {
            return Future.failedFuture(new IllegalStateException("upstream answered HTTP " + response.statusCode()));
        }
        try {
            String content = body.toJsonObject().getJsonArray("choices").getJsonObject(0)
                    .getJsonObject("message").getString("content");
            if (content == null) {
                throw new IllegalStateException("no content");
            }
            return Future.succeededFuture(content.strip());
        } catch (RuntimeException e) {
            return Future.failedFuture(new IllegalStateException(
                    "upstream reply has no choices[0].message.content: " + e.getMessage(), e));
        }
    }

    /**
     * Asks the server once for its model list: completes with why it cannot be reached, or empty when it answers at
     * all, whatever the status (a server without {@code /v1/models} is still up). Never fails.
     */
    public Future<Optional<String>> unreachable() {
        // end() asked for in send()'s own callback, for the reason given in answer(): asked a turn late, after the
        // reply had ended, it threw, and a server that had answered was reported unreachable ("null").
        return client.request(upstream(HttpMethod.GET, modelsUrl).setTimeout(connectTimeoutMs))
                .compose(call -> call.send().compose(HttpClientResponse::end))
                .map(reply -> Optional.<String>empty()).recover(e -> Future.succeededFuture(Optional.of(
                        e instanceof TimeoutException ? "no answer within " + connectTimeoutMs + " ms" : String.valueOf(e.getMessage()))));
    }

    @Override
    public String model() {
        return modelName;
    }

    @Override
    public void close() {
        client.close();
    }
}
