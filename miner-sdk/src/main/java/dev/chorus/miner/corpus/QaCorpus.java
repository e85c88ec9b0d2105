package dev.chorus.miner.corpus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A validated question/answer corpus. The file format is JSON Lines, one object per line:
 * {@code {"id": "...", "topic": "...", "question": "...", "answer": "..."}}; blank lines and lines
 * starting with {@code #} are skipped. Ids are unique; every field is a non-blank string; question
 * and answer hold a letter or digit and are at most {@value #MAX_TEXT} characters. A bad file is rejected with every problem
 * listed by line number.
 */
public record QaCorpus(String source, List<QaPair> pairs) {

    /** The corpus shipped with the SDK (src/main/resources/corpus/qa-corpus.jsonl). */
    public static final String BUILT_IN = "/corpus/qa-corpus.jsonl";

    public static final int MAX_TEXT = 2_000;
    private static final int MAX_REPORTED = 20;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> FIELDS = List.of("id", "topic", "question", "answer");
    private static final List<String> TEXTS = List.of("question", "answer");

    public QaCorpus {
        pairs = List.copyOf(pairs);
        if (pairs.isEmpty()) {
            throw new CorpusException(source, List.of("it has no entries; add at least one JSON line"));
        }
    }

    public static QaCorpus builtIn() {
        try (InputStream in = QaCorpus.class.getResourceAsStream(BUILT_IN)) {
            if (in == null) {
                throw new IllegalStateException("the built-in corpus " + BUILT_IN + " is missing from the classpath");
            }
            return read(new InputStreamReader(in, StandardCharsets.UTF_8), "built-in " + BUILT_IN);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the built-in corpus", e);
        }
    }

    public static QaCorpus load(Path file) {
        // The setting that named the file differs by caller (model.corpus, rounds.query_set): callers prefix it.
        if (Files.isDirectory(file)) {
            throw new CorpusException(file.toString(), List.of("it is a folder; give the JSONL file in it"));
        }
        if (!Files.isRegularFile(file)) {
            throw new CorpusException(file.toString(), List.of("no such file; give the path of a JSONL file"));
        }
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(reader, file.toString());
        } catch (CharacterCodingException e) {
            throw new CorpusException(file.toString(), List.of("it is not UTF-8 text; convert it, e.g. iconv -f latin1"
                    + " -t utf-8"));
        } catch (IOException e) {
            throw new CorpusException(file.toString(), List.of("cannot read it: " + e.getMessage()));
        }
    }

    /** The built-in corpus when {@code file} is null, else that file. */
    public static QaCorpus loadOrBuiltIn(Path file) {
        return file == null ? builtIn() : load(file);
    }

    public static QaCorpus read(Reader reader, String source) throws IOException {
        List<QaPair> pairs = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Map<String, Integer> firstLineOfId = new HashMap<>();
        BufferedReader lines = reader instanceof BufferedReader b ? b : new BufferedReader(reader);
        String line;
        int number = 0;
        while ((line = lines.readLine()) != null) {
            number++;
            String text = line.strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            Optional<QaPair> parsed = parse(text, number, problems);
            if (parsed.isEmpty()) {
                continue;
            }
            QaPair pair = parsed.get();
            Integer earlier = firstLineOfId.putIfAbsent(pair.id(), number);
            if (earlier != null) {
                problems.add("line " + number + ": id \"" + pair.id() + "\" is already used on line " + earlier
                        + "; ids must be unique");
            } else {
                pairs.add(pair);
            }
        }
        if (!problems.isEmpty()) {
            List<String> shown = new ArrayList<>(problems.subList(0, Math.min(problems.size(), MAX_REPORTED)));
            if (problems.size() > MAX_REPORTED) {
                shown.add("... and " + (problems.size() - MAX_REPORTED) + " more");
            }
            throw new CorpusException(source, shown);
        }
        return new QaCorpus(source, pairs);
    }

    private static Optional<QaPair> parse(String text, int number, List<String> problems) {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            problems.add("line " + number + ": not a JSON object (" + e.getOriginalMessage() + ")");
            return Optional.empty();
        }
        if (!node.isObject()) {
            problems.add("line " + number + ": expected a JSON object with id, topic, question and answer");
            return Optional.empty();
        }
        String[] values = new String[FIELDS.size()];
        boolean ok = true;
        for (int i = 0; i < FIELDS.size(); i++) {
            String field = FIELDS.get(i);
            JsonNode value = node.get(field);
            if (value == null || !value.isTextual() || value.asText().isBlank()) {
                problems.add("line " + number + ": \"" + field + "\" is missing or not a non-empty string");
                ok = false;
            } else if (TEXTS.contains(field) && value.asText().codePoints().noneMatch(Character::isLetterOrDigit)) {
                // A reference of punctuation alone gives the scorer nothing to compare answers with, and a question of
                // it asks nothing: a slip in the file, not a query.
                problems.add("line " + number + ": \"" + field + "\" has no letter or digit, only punctuation or symbols");
                ok = false;
            } else if (value.asText().length() > MAX_TEXT) {
                problems.add("line " + number + ": \"" + field + "\" is longer than " + MAX_TEXT + " characters");
                ok = false;
            } else {
                values[i] = value.asText().strip();
            }
        }
        return ok ? Optional.of(new QaPair(values[0], values[1], values[2], values[3])) : Optional.empty();
    }

    public int size() {
        return pairs.size();
    }

    public QaPair get(int index) {
        return pairs.get(index);
    }

    public Optional<QaPair> byId(String id) {
        return pairs.stream().filter(p -> p.id().equals(id)).findFirst();
    }

    public Set<String> topics() {
        Set<String> topics = new LinkedHashSet<>();
        pairs.forEach(p -> topics.add(p.topic()));
        return topics;
    }

    public List<String> questions() {
        return pairs.stream().map(QaPair::question).toList();
    }
}
