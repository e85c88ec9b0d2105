package dev.chorus.bench.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.chorus.bench.report.AtomicFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
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

    private static final List<String> LABELS = Arrays.stream(MinerClass.values()).map(MinerClass::label).toList();

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private TruthFile() {
    }

    public static void write(Path file, Map<Integer, MinerTruth> truth) throws IOException {
        AtomicFile.write(file, JSON.writeValueAsString(List.copyOf(new TreeMap<>(truth).values())) + "\n");
    }

    /**
     * Reads and checks every entry, so a damaged file fails before the replay rather than after it (a missing class)
     * or not at all (a missing quality read as 0, a misspelt class counted apart).
     */
    public static Map<Integer, MinerTruth> read(Path file) throws IOException {
        JsonNode list;
        try {
            list = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException("Truth file " + file + " is not a JSON list of {uid, minerClass, quality}: "
                    + e.getMessage());
        }
        if (list == null || !list.isArray()) {
            throw new IllegalArgumentException("Truth file " + file + " is not a JSON list of {uid, minerClass, quality};"
                    + " give one entry per miner, as chorus-bench scenario writes it");
        }
        if (list.isEmpty()) {
            // Read as no truth at all, an empty list would leave the replay unranked with "no truth file" as the reason.
            throw new IllegalArgumentException("Truth file " + file + " names no miner; give one {uid, minerClass, quality}"
                    + " entry per miner, as chorus-bench scenario writes it, or drop --truth to replay without classes");
        }
        Map<Integer, MinerTruth> byUid = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode entry = list.get(i);
            JsonNode uid = entry.get("uid");
            JsonNode minerClass = entry.get("minerClass");
            JsonNode quality = entry.get("quality");
            List<String> wrong = new ArrayList<>();
            if (uid == null || !uid.canConvertToInt() || !uid.isIntegralNumber() || uid.intValue() < 0) {
                wrong.add("uid must be a whole number of 0 or more");
            } else if (byUid.containsKey(uid.intValue())) {
                wrong.add("uid " + uid.intValue() + " is named twice");
            }
            if (minerClass == null || !minerClass.isTextual() || !LABELS.contains(minerClass.textValue())) {
                wrong.add("minerClass must be one of " + String.join(", ", LABELS) + (minerClass == null ? ""
                        : ", found " + minerClass));
            }
            if (quality == null || !quality.isNumber() || !(quality.doubleValue() >= 0 && quality.doubleValue() <= 1)) {
                wrong.add("quality must be a number in [0, 1]" + (quality == null ? "" : ", found " + quality));
            }
            if (wrong.isEmpty()) {
                byUid.put(uid.intValue(), new MinerTruth(uid.intValue(), minerClass.textValue(), quality.doubleValue()));
            } else {
                problems.add("entry " + (i + 1) + " " + entry + ": " + String.join("; ", wrong));
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Truth file " + file + " has " + problems.size() + " bad entr"
                    + (problems.size() == 1 ? "y" : "ies") + ": " + String.join(" | ", problems)
                    + ". Fix them, or drop --truth (and move the file away) to replay without classes");
        }
        return byUid;
    }

    /** The truth named on the command line, else a {@code truth.json} beside the round log or one folder up. */
    public static Map<Integer, MinerTruth> find(Path explicit, Path roundLog) throws IOException {
        if (explicit != null) {
            if (!Files.isRegularFile(explicit)) {
                throw new IllegalArgumentException("Truth file " + explicit
                        + (Files.exists(explicit) ? " is not a regular file" : " does not exist") + "; give a truth.json");
            }
            return read(explicit);
        }
        // Absolute and normalized: a state folder given as `validator-0` or `.` names no parent to look in.
        Path log = roundLog.toAbsolutePath().normalize();
        Path dir = Files.isDirectory(log) ? log : log.getParent();
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
