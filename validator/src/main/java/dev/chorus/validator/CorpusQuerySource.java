package dev.chorus.validator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Draws queries uniformly from a JSONL question set, one object per line with {@code id}, {@code question} and
 * {@code answer} (the reference answer) — the corpus format of the miner SDK.
 */
final class CorpusQuerySource implements QuerySource {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Query> queries;
    private final Random random;

    private CorpusQuerySource(List<Query> queries, Random random) {
        this.queries = List.copyOf(queries);
        this.random = random;
    }

    static CorpusQuerySource open(Path file, Random random) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("rounds.query_set " + file + " is not a file; point it at a JSONL question set");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return new CorpusQuerySource(parse(in, file.toString()), random);
        }
    }

    static List<Query> parse(InputStream in, String source) throws IOException {
        List<Query> queries = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            int number = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    JsonNode node = JSON.readTree(line);
                    String id = node.path("id").asText("");
                    String question = node.path("question").asText("");
                    if (id.isBlank() || question.isBlank()) {
                        problems.add("line " + number + ": needs a non-empty \"id\" and \"question\"");
                        continue;
                    }
                    String answer = node.path("answer").asText("");
                    queries.add(new Query(id, question, answer.isBlank() ? null : answer));
                } catch (IOException e) {
                    problems.add("line " + number + ": not a JSON object (" + e.getMessage().lines().findFirst().orElse("") + ")");
                }
            }
        }
        if (!problems.isEmpty() || queries.isEmpty()) {
            throw new IllegalArgumentException("question set " + source + (queries.isEmpty() && problems.isEmpty() ? " is empty" : " has problems: "
                    + String.join("; ", problems.subList(0, Math.min(5, problems.size())))));
        }
        return queries;
    }

    @Override
    public Query next() {
        return queries.get(random.nextInt(queries.size()));
    }
}
