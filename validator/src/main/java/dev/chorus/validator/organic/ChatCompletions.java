package dev.chorus.validator.organic;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.chorus.config.OrganicSettings;

import java.util.List;

/**
 * The OpenAI chat-completions wire shapes ({@code POST /v1/chat/completions}), so that an OpenAI client library
 * reaches the subnet by changing only its base URL. With {@code stream: true} the answer, which the subnet only
 * has whole, is sent as server-sent events: one chunk with the whole text, one with the finish reason, then
 * {@code [DONE]}. The question is the last user message;
 * system and earlier messages are not sent to the miners, which answer single questions. Fields the subnet has
 * no use for (temperature, top_p, ...) are accepted and ignored.
 */
public final class ChatCompletions {

    /** The model name the validator reports; any requested name is accepted and echoed back. */
    public static final String MODEL = "chorus-consensus";

    static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private ChatCompletions() {
    }

    /**
     * A chat-completions request. {@code content} is a string or a list of parts ({@code {"type": "text", ...}}).
     * {@code maxMiners} and {@code deadlineMs} are this validator's extensions (OpenAI clients send them via
     * {@code extra_body}).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Request(String model, List<Message> messages, Boolean stream, Integer n, Integer maxTokens,
                          Double temperature, String user, Integer maxMiners, Integer deadlineMs) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Message(String role, JsonNode content) {
    }

    public record Response(String id, String object, long created, String model, List<Choice> choices, Usage usage,
                           Chorus chorus) {
    }

    public record Choice(int index, AssistantMessage message, Object logprobs, String finishReason) {
    }

    public record AssistantMessage(String role, String content) {
    }

    /** One server-sent event of a streamed completion. */
    public record Chunk(String id, String object, long created, String model, List<ChunkChoice> choices) {
    }

    public record ChunkChoice(int index, Delta delta, Object logprobs, String finishReason) {
    }

    /** What a chunk adds to the message; empty in the closing chunk. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Delta(String role, String content) {
    }

    /** Token counts are whitespace-separated words: the subnet has no tokenizer of the miners' models. */
    public record Usage(int promptTokens, int completionTokens, int totalTokens) {
    }

    /** What the subnet adds to the OpenAI shape: who answered and how strongly the network agrees. */
    public record Chorus(int uid, String hotkey, double agreement, int asked, int answered) {
    }

    /** Reads a request body into the question to ask. */
    public static Request parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw AskRequest.bad("the body must be a JSON object with a messages array");
        }
        try {
            return JSON.treeToValue(body, Request.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw AskRequest.bad("the body is not a chat-completions request: " + e.getOriginalMessage());
        }
    }

    /** The question and options of a request, checked against the operator's limits. */
    public static AskRequest toAsk(Request request, OrganicSettings limits) {
        if (request.n() != null && request.n() != 1) {
            throw AskRequest.bad("n is " + request.n() + "; the subnet returns one consensus answer, send n: 1");
        }
        if (request.messages() == null || request.messages().isEmpty()) {
            throw AskRequest.bad("messages is missing or empty; send [{\"role\": \"user\", \"content\": \"your question\"}]");
        }
        Message last = null;
        for (Message message : request.messages()) {
            if ("user".equals(message.role())) {
                last = message;
            }
        }
        if (last == null) {
            throw AskRequest.bad("no message has role user; the last user message is the question");
        }
        return AskRequest.of(text(last.content()), request.maxMiners(), request.deadlineMs(), limits);
    }

    private static String text(JsonNode content) {
        if (content != null && content.isTextual()) {
            return content.asText();
        }
        if (content != null && content.isArray()) {
            StringBuilder text = new StringBuilder();
            for (JsonNode part : content) {
                if (!"text".equals(part.path("type").asText()) || !part.path("text").isTextual()) {
                    throw AskRequest.bad("only text content parts are supported ({\"type\": \"text\", \"text\": ...})");
                }
                text.append(text.isEmpty() ? "" : "\n").append(part.get("text").asText());
            }
            return text.toString();
        }
        throw AskRequest.bad("the user message's content must be a string or a list of text parts");
    }

    /** The response for {@code answer}; {@code createdSeconds} is Unix time. */
    public static Response response(ConsensusAnswer answer, AskRequest asked, String model, long createdSeconds) {
        int promptTokens = words(asked.prompt());
        int completionTokens = words(answer.answer());
        return new Response("chatcmpl-" + answer.id(), "chat.completion", createdSeconds,
                model == null || model.isBlank() ? MODEL : model,
                List.of(new Choice(0, new AssistantMessage("assistant", answer.answer()), null, "stop")),
                new Usage(promptTokens, completionTokens, promptTokens + completionTokens),
                new Chorus(answer.uid(), answer.hotkey(), answer.agreement(), answer.asked(), answer.answered()));
    }

    /** The chunks of a streamed response, in order; each is sent as {@code data: <json>}, then {@code data: [DONE]}. */
    public static List<Chunk> chunks(ConsensusAnswer answer, String model, long createdSeconds) {
        String id = "chatcmpl-" + answer.id();
        String name = model == null || model.isBlank() ? MODEL : model;
        return List.of(
                new Chunk(id, "chat.completion.chunk", createdSeconds, name,
                        List.of(new ChunkChoice(0, new Delta("assistant", answer.answer()), null, null))),
                new Chunk(id, "chat.completion.chunk", createdSeconds, name,
                        List.of(new ChunkChoice(0, new Delta(null, null), null, "stop"))));
    }

    private static int words(String text) {
        String trimmed = text.strip();
        return trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length;
    }
}
