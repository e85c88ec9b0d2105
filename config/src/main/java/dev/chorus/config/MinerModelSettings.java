package dev.chorus.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Which example miner answers, and with what.
 *
 * @param kind           {@code knowledge-base} (closest question in a corpus), {@code openai} (forward to a chat
 *                       endpoint), or for demos {@code constant}, {@code noisy} (knowledge-base that is sometimes
 *                       wrong) and {@code slow} (knowledge-base after a delay)
 * @param corpus         JSONL Q&amp;A corpus for knowledge-base, noisy and slow; empty uses the built-in corpus
 * @param endpoint       base URL of an OpenAI-compatible server (vLLM, llama.cpp, Ollama) for openai
 * @param modelName      model name sent to that server
 * @param apiKeyEnv      environment variable holding that server's API key, if it needs one
 * @param timeout        deadline for the whole upstream call, from connecting to the last byte of the reply
 * @param maxTokens      longest answer, in tokens, asked of the upstream model
 * @param systemPrompt   system message sent upstream before each question (empty sends none): validators reward
 *                       answers close to the other miners', so length and style are worth tuning here
 * @param constantAnswer what the constant miner always answers
 * @param errorRate      share of questions the noisy miner answers from a random wrong entry (0..1)
 * @param seed           random seed of the noisy miner, so a demo repeats
 * @param delay          how long the slow miner waits before answering
 */
public record MinerModelSettings(String kind, Path corpus, String endpoint, String modelName, String apiKeyEnv,
                                 Duration timeout, int maxTokens, String systemPrompt, String constantAnswer,
                                 double errorRate, long seed, Duration delay) implements Settings {

    public static final List<String> KINDS = List.of("knowledge-base", "openai", "constant", "noisy", "slow");

    public static MinerModelSettings defaults() {
        return new MinerModelSettings("knowledge-base", null, "http://127.0.0.1:8000", "default", "OPENAI_API_KEY",
                Duration.ofSeconds(6), 256, "Answer the question accurately and concisely, in one to three sentences.",
                "I do not know.", 0.3, 42, Duration.ofSeconds(2));
    }

    @Override
    public void validate(String prefix, List<String> problems) {
        Checks.oneOf(prefix + "kind", kind, KINDS, problems);
        // The same rule as chain.rpc_url: "http//host" or "http://" passed a prefix check and failed only as the miner started.
        if ("openai".equals(kind) && !ChainSettings.isHttpUrl(endpoint)) {
            problems.add(prefix + "endpoint: '" + endpoint + "' is not an http(s) URL with a host; set the base URL of your"
                    + " chat-completions server, e.g. http://127.0.0.1:8000");
        }
        Checks.positive(prefix + "timeout", timeout, problems);
        Checks.range(prefix + "max_tokens", maxTokens, 1, 32_768, problems);
        Checks.range(prefix + "error_rate", errorRate, 0.0, 1.0, problems);
        if (delay == null || delay.isNegative()) {
            problems.add(prefix + "delay: must be zero or a positive duration such as 2s");
        }
        if (systemPrompt == null) {
            problems.add(prefix + "system_prompt: missing; use \"\" to send no system message");
        }
        if (constantAnswer == null) {
            problems.add(prefix + "constant_answer: missing; use \"\" for an empty answer");
        }
    }
}
