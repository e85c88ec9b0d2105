package dev.chorus.validator.organic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.chorus.config.OrganicSettings;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The OpenAI chat-completions shapes against golden files, read and written. */
class ChatCompletionsTest {

    static final OrganicSettings LIMITS = OrganicSettings.defaults();

    static JsonNode golden(String name) throws IOException {
        try (InputStream in = ChatCompletionsTest.class.getResourceAsStream("/organic/" + name)) {
            return ChatCompletions.JSON.readTree(in);
        }
    }

    /** What goes on the wire, read back as a tree so that it compares with the golden file by value. */
    static JsonNode written(Object value) throws IOException {
        return ChatCompletions.JSON.readTree(ChatCompletions.JSON.writeValueAsString(value));
    }

    @Test
    void readsAndWritesTheGoldenRequest() throws Exception {
        ChatCompletions.Request expected = new ChatCompletions.Request("gpt-4o-mini", List.of(
                new ChatCompletions.Message("system", TextNode.valueOf("You are a helpful assistant.")),
                new ChatCompletions.Message("user", TextNode.valueOf("Name a city.")),
                new ChatCompletions.Message("assistant", TextNode.valueOf("Lyon.")),
                new ChatCompletions.Message("user", TextNode.valueOf("What is the capital of France?"))),
                false, 1, 256, 0.2, "alice", 4, 5000);
        JsonNode golden = golden("chat-request.json");
        assertThat(ChatCompletions.parse(golden)).isEqualTo(expected);
        assertThat(written(expected)).isEqualTo(golden);
        assertThat(ChatCompletions.toAsk(expected, LIMITS))
                .isEqualTo(new AskRequest("What is the capital of France?", 4, Duration.ofMillis(5000)));
    }

    @Test
    void joinsTextPartsAndTakesDefaultsForOmittedOptions() throws Exception {
        AskRequest ask = ChatCompletions.toAsk(ChatCompletions.parse(golden("chat-request-parts.json")), LIMITS);
        assertThat(ask).isEqualTo(new AskRequest("What is the capital\nof France?", LIMITS.maxMiners(), LIMITS.deadline()));
    }

    @Test
    void writesAndReadsTheGoldenResponse() throws Exception {
        ConsensusAnswer answer = new ConsensusAnswer("organic-0f8e2c1a", "Paris is the capital of France and its largest city.",
                3, "0x90f79bf6eb2c4f870365e785982e1f101e93b906", 0.82, 5, 4, 120, List.of());
        AskRequest asked = new AskRequest("What is the capital of France?", 5, Duration.ofSeconds(5));
        ChatCompletions.Response response = ChatCompletions.response(answer, asked, "gpt-4o-mini", 1_700_000_000L);
        JsonNode golden = golden("chat-response.json");
        assertThat(written(response)).isEqualTo(golden);
        assertThat(ChatCompletions.JSON.treeToValue(golden, ChatCompletions.Response.class)).isEqualTo(response);
    }

    @Test
    void streamsTheGoldenChunksAndReadsThemBack() throws Exception {
        ConsensusAnswer answer = new ConsensusAnswer("organic-0f8e2c1a", "Paris is the capital of France and its largest city.",
                3, "0x90f79bf6eb2c4f870365e785982e1f101e93b906", 0.82, 5, 4, 120, List.of());
        List<ChatCompletions.Chunk> chunks = ChatCompletions.chunks(answer, null, 1_700_000_000L);
        String golden;
        try (InputStream in = ChatCompletionsTest.class.getResourceAsStream("/organic/chat-stream.txt")) {
            golden = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        List<String> events = java.util.Arrays.stream(golden.split("\n\n")).map(e -> e.substring("data: ".length())).toList();
        assertThat(events).hasSize(3).endsWith("[DONE]");
        for (int i = 0; i < chunks.size(); i++) {
            assertThat(written(chunks.get(i))).isEqualTo(ChatCompletions.JSON.readTree(events.get(i)));
            assertThat(ChatCompletions.JSON.readValue(events.get(i), ChatCompletions.Chunk.class)).isEqualTo(chunks.get(i));
        }
    }

    @Test
    void refusesWhatItCannotServeSayingWhatToSend() {
        assertBad("{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"n\": 3}", "n: 1");
        assertBad("{\"messages\": []}", "messages is missing or empty");
        assertBad("{\"messages\": [{\"role\": \"system\", \"content\": \"hi\"}]}", "role user");
        assertBad("{\"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"image_url\"}]}]}", "text content parts");
        assertBad("{\"messages\": \"hi\"}", "messages must be a list, got \"hi\"");
        assertBad("[1]", "JSON object");
    }

    @Test
    void refusesMessagesOfTheWrongShapeSayingWhichAndWhy() {
        assertBad("{\"messages\": [null]}", "messages[0] is null; each message is {\"role\", \"content\"}");
        assertBad("{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}, \"hi\"]}",
                "messages[1] must be an object; each message is {\"role\", \"content\"}, got \"hi\"");
        assertBad("{\"messages\": [{\"content\": \"hi\"}]}", "messages[0] has no role");
        assertBad("{\"messages\": [{\"role\": 5, \"content\": \"hi\"}]}", "messages[0].role must be a string, got 5");
        assertBad("{\"messages\": [{\"role\": \"system\", \"content\": \"be brief\"}, {\"role\": \"user\", \"content\": 7}]}",
                "messages[1].content, the question, must be a string or a list of text parts, got 7");
        assertBad("{\"messages\": [{\"role\": \"user\"}]}", "messages[0].content, the question, must be a string");
    }

    @Test
    void refusesOptionsOfTheWrongTypeRatherThanConvertingThem() {
        String question = "\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]";
        assertBad("{" + question + ", \"max_miners\": 0.5}", "max_miners must be a whole number, got 0.5");
        assertBad("{" + question + ", \"max_miners\": \"0\"}", "max_miners must be a whole number, got \"0\"");
        assertBad("{" + question + ", \"n\": 1.9}", "n must be a whole number, got 1.9");
        assertBad("{" + question + ", \"deadline_ms\": true}", "deadline_ms must be a whole number, got true");
        assertBad("{" + question + ", \"stream\": \"yes\"}", "stream must be true or false, got \"yes\"");
        assertBad("{" + question + ", \"model\": 4}", "model must be a string, got 4");
    }

    @Test
    void readsAWholeTemperatureAsANumber() throws Exception {
        ChatCompletions.Request request = ChatCompletions.parse(ChatCompletions.JSON.readTree(
                "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"temperature\": 1}"));
        assertThat(request.temperature()).isEqualTo(1.0);
    }

    private static void assertBad(String body, String message) {
        assertThatThrownBy(() -> ChatCompletions.toAsk(ChatCompletions.parse(ChatCompletions.JSON.readTree(body)), LIMITS))
                .isInstanceOfSatisfying(OrganicRefused.class, e -> {
                    assertThat(e.reason()).isEqualTo(OrganicRefused.Reason.BAD_REQUEST);
                    assertThat(e.getMessage()).contains(message);
                });
    }
}
