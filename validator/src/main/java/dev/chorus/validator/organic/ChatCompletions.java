package dev.chorus.validator.organic;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.chorus.config.OrganicSettings;
import dev.chorus.miner.protocol.CanonicalJson;

import java.util.List;

/**
 * The OpenAI chat-completions wire shapes ({@code POST /v1/chat/completions}), so that an OpenAI client library
 * reaches the subnet by changing only its base URL. With {@code stream: true} the answer, which the subnet only
 * has whole, is sent as server-sent events: one chunk with the whole text, one with the finish reason, then
 * {@code [DONE]}. The question is the last user message;
 * system and earlier messages are not sent to the miners, which answer single questions. Fields the subnet has
 * no use for (temperature, top_p, ...) are accepted and ignored.
 */
final class ChatCompletions {

    /** The model name the validator reports; any requested name is accepted and echoed back. */
    public static final String MODEL = "chorus-consensus";

    /**
     * Lenient about fields it does not know, strict about the types of those it does: {@code "n": 1.9} or
     * {@code "max_miners": "0"} is refused rather than read as 1 or 0, as {@code /v1/ask} refuses them. A field
     * given twice is refused too, rather than read as its last value.
     */
    static final ObjectMapper JSON = CanonicalJson.strictTypes(JsonMapper.builder())
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final String MESSAGE_SHAPE = "each message is {\"role\", \"content\"}";

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
        } catch (MismatchedInputException e) {
            JsonNode given = body;
            StringBuilder where = new StringBuilder();
            for (JsonMappingException.Reference step : e.getPath()) {
                boolean field = step.getFieldName() != null;
                given = field ? given.path(step.getFieldName()) : given.path(step.getIndex());
                where.append(field ? (where.isEmpty() ? "" : ".") + step.getFieldName() : "[" + step.getIndex() + "]");
            }
            throw AskRequest.bad((where.isEmpty() ? "the body" : where) + " must be " + kind(e.getTargetType())
                    + ", got " + shown(given));
        } catch (JsonProcessingException e) {
            throw AskRequest.bad("the body is not a chat-completions request: " + e.getOriginalMessage());
        }
    }

    private static String kind(Class<?> type) {
        if (type == Integer.class) {
            return "a whole number";
        }
        if (type == Double.class) {
            return "a number";
        }
        if (type == Boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == Message.class) {
            return "an object; " + MESSAGE_SHAPE;
        }
        return type != null && List.class.isAssignableFrom(type) ? "a list" : "a chat-completions request";
    }

    /** The value as the client wrote it, cut short: a body may be kilobytes. */
    private static String shown(JsonNode value) {
        if (value.isArray()) {
            return "a list";
        }
        if (value.isObject()) {
            return "an object";
        }
        String text = value.toString();
        return text.length() <= 40 ? text : text.substring(0, 37) + "...";
    }

    /** The question and options of a request, checked against the operator's limits. */
    public static AskRequest toAsk(Request request, OrganicSettings limits) {
        if (request.n() != null && request.n() != 1) {
            throw AskRequest.bad("n is " + request.n() + "; the subnet returns one consensus answer, send n: 1");
        }
        if (request.messages() == null || request.messages().isEmpty()) {
            throw AskRequest.bad("messages is missing or empty; send [{\"role\": \"user\", \"content\": \"your question\"}]");
        }
        int last = -1;
        for (int i = 0; i < request.messages().size(); i++) {
            Message message = request.messages().get(i);
            if (message == null) {
                throw AskRequest.bad("messages[" + i + "] is null; " + MESSAGE_SHAPE);
            }
            if (message.role() == null) {
                throw AskRequest.bad("messages[" + i + "] has no role; " + MESSAGE_SHAPE
                        + ", the role being user, assistant or system");
            }
            if ("user".equals(message.role())) {
                last = i;
            }
        }
        if (last < 0) {
            throw AskRequest.bad("no message has role user; the last user message is the question");
        }
        return AskRequest.of(text(request.messages().get(last).content(), last), request.maxMiners(),
                request.deadlineMs(), limits);
    }

    private static String text(JsonNode content, int index) {
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
        throw AskRequest.bad("messages[" + index + "].content, the question, must be a string or a list of text parts, got "
                + (content == null || content.isNull() ? "none" : shown(content)));
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
