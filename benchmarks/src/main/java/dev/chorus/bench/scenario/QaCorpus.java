package dev.chorus.bench.scenario;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The questions the simulated subnet is asked, read from the JSONL resource shipped with the bench. */
public record QaCorpus(List<QaPair> pairs) {

    private static final String RESOURCE = "qa.jsonl";

    public QaCorpus {
        pairs = List.copyOf(pairs);
        if (pairs.size() < 2) {
            throw new IllegalArgumentException("A corpus needs at least two questions, got " + pairs.size());
        }
    }

    public static QaCorpus bundled() {
        ObjectMapper json = new ObjectMapper();
        try (InputStream in = QaCorpus.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("The bench jar lacks its corpus " + RESOURCE + "; rebuild it");
            }
            List<QaPair> pairs = new ArrayList<>();
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank()) {
                    pairs.add(json.readValue(line, QaPair.class));
                }
            }
            return new QaCorpus(pairs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public QaPair get(int index) {
        return pairs.get(Math.floorMod(index, pairs.size()));
    }

    public int size() {
        return pairs.size();
    }

    /** Where {@code pair} sits in the corpus. */
    public int indexOf(QaPair pair) {
        return pairs.indexOf(pair);
    }
}
