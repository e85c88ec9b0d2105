package dev.chorus.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Which example miner answers, and with what.
 *
 * @param kind          {@code knowledge-base} (closest question in a corpus) or {@code openai} (forward to a chat endpoint)
 * @param corpus        JSONL Q&amp;A corpus for knowledge-base; empty uses the built-in corpus
 * @param endpoint      base URL of an OpenAI-compatible server (vLLM, llama.cpp, Ollama) for openai
 * @param modelName     model name sent to that server
 * @param apiKeyEnv     environment variable holding that server's API key, if it needs one
 * @param timeout       deadline for the upstream model's answer
 */
public record MinerModelSettings(String kind, Path corpus, String endpoint, String modelName, String apiKeyEnv,
                                 Duration timeout) implements Settings {

    public static MinerModelSettings defaults() {
        return new MinerModelSettings("knowledge-base", null, "http://127.0.0.1:8000", "default", "OPENAI_API_KEY",
                Duration.ofSeconds(6));
    }

    @Override
    public void validate(String prefix, List<String> problems) {
        Checks.oneOf(prefix + "kind", kind, List.of("knowledge-base", "openai"), problems);
        if ("openai".equals(kind) && (endpoint == null || !endpoint.startsWith("http"))) {
            problems.add(prefix + "endpoint: '" + endpoint + "' is not an http(s) URL; set the base URL of your chat-completions server");
        }
        Checks.positive(prefix + "timeout", timeout, problems);
    }
}
