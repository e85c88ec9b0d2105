package dev.chorus.bench.metrics;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The {@code truth.json} a simulation writes next to its round logs: every miner's class and true quality, so a
 * later replay or comparison of those logs can be judged.
 */
public final class TruthFile {

    public static final String FILE_NAME = "truth.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private TruthFile() {
    }

    public static void write(Path file, Map<Integer, MinerTruth> truth) throws IOException {
        Files.writeString(file, JSON.writeValueAsString(List.copyOf(new TreeMap<>(truth).values())) + "\n");
    }

    public static Map<Integer, MinerTruth> read(Path file) throws IOException {
        List<MinerTruth> list;
        try {
            list = JSON.readValue(file.toFile(), new TypeReference<List<MinerTruth>>() { });
        } catch (IOException e) {
            throw new IllegalArgumentException("Truth file " + file + " is not a JSON list of {uid, minerClass, quality}: "
                    + e.getMessage());
        }
        Map<Integer, MinerTruth> byUid = new TreeMap<>();
        list.forEach(t -> byUid.put(t.uid(), t));
        return byUid;
    }

    /** The truth named on the command line, else a {@code truth.json} beside the round log or one folder up. */
    public static Map<Integer, MinerTruth> find(Path explicit, Path roundLog) throws IOException {
        if (explicit != null) {
            if (!Files.isRegularFile(explicit)) {
                throw new IllegalArgumentException("Truth file " + explicit + " does not exist");
            }
            return read(explicit);
        }
        Path dir = Files.isDirectory(roundLog) ? roundLog : roundLog.toAbsolutePath().getParent();
        Optional<Path> found = Optional.empty();
        for (Path d = dir; d != null && found.isEmpty() && d.getNameCount() >= dir.getNameCount() - 1; d = d.getParent()) {
            Path candidate = d.resolve(FILE_NAME);
            if (Files.isRegularFile(candidate)) {
                found = Optional.of(candidate);
            }
        }
        return found.isPresent() ? read(found.get()) : Map.of();
    }
}
