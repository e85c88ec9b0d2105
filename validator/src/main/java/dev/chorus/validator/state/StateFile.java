package dev.chorus.validator.state;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/** The validator's state file: written atomically, checked on load, a damaged file set aside rather than lost. */
public final class StateFile {

    public static final String FILE_NAME = "validator-state.json";

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
            .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private final Path file;

    public StateFile(Path dir) {
        this.file = dir.resolve(FILE_NAME);
    }

    public Path path() {
        return file;
    }

    public void save(ValidatorState state) throws IOException {
        AtomicFile.write(file, JSON.writeValueAsBytes(state));
    }

    /**
     * The saved state, or empty when there is none. A file that does not parse or fails its checks is moved
     * to {@code validator-state.json.corrupt-<ms>} and reported, so the operator can inspect it.
     *
     * @throws DamagedStateException when the file was damaged and has been set aside; starting afresh is safe
     * @throws InvalidStateException when the file belongs to another subnet or hotkey, was written by a newer
     *                               version, or cannot be read or set aside (never silently reused, and left where
     *                               it is)
     */
    public Optional<ValidatorState> load(int netuid, String hotkey) throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        byte[] content = read();
        ValidatorState state;
        try {
            refuseNewer(JSON.readTree(content));
            state = JSON.readValue(content, ValidatorState.class);
            check(state);
        } catch (UnrecognizedPropertyException e) {
            throw new InvalidStateException("state file " + file + " has a field '" + e.getPropertyName() + "'"
                    + location(e) + " that this version of chorus does not know: a newer version wrote it, or it was"
                    + " edited by hand. Run the newer version, or repair the file, or move it away to start with fresh"
                    + " scores; it was left as it is");
        } catch (JsonProcessingException | IllegalArgumentException e) {
            Path aside = file.resolveSibling(FILE_NAME + ".corrupt-" + System.currentTimeMillis());
            try {
                Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException notMoved) {
                throw new InvalidStateException("state file " + file + " is damaged (" + problem(e) + ") and could not"
                        + " be moved aside: " + FileProblem.describe(notMoved) + "; move it away to start with fresh"
                        + " scores, or repair it; it was left as it is");
            }
            throw new DamagedStateException("state file " + file + " is damaged (" + problem(e) + "); it was moved to "
                    + aside + " and the validator starts with fresh scores. To keep the old ones, stop the validator,"
                    + " repair that file and move it back to " + file);
        }
        if (state.netuid() != netuid || !state.hotkey().equalsIgnoreCase(hotkey)) {
            throw new InvalidStateException("state file " + file + " belongs to netuid " + state.netuid() + " and hotkey "
                    + state.hotkey() + ", not netuid " + netuid + " and hotkey " + hotkey
                    + "; point state.dir at this validator's own folder");
        }
        return Optional.of(state);
    }

    /**
     * The file's bytes. Java's own message for a file that cannot be read is often the bare path ("failed:
     * state/validator-state.json"), which says neither which file nor what is wrong, so it is said here.
     */
    private byte[] read() throws InvalidStateException {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new InvalidStateException("state file " + file + " cannot be read: " + FileProblem.describe(e)
                    + "; make it a file the validator's user can read (chown, chmod 600), or move it away to start"
                    + " with fresh scores; it was left as it is");
        }
    }

    private void refuseNewer(JsonNode tree) throws InvalidStateException {
        int schema = tree == null ? 0 : tree.path("schema").asInt(0);
        if (schema > ValidatorState.SCHEMA) {
            throw new InvalidStateException("state file " + file + " was written by a newer version of chorus (schema "
                    + schema + "; this one reads " + ValidatorState.SCHEMA + "): run that version, or move the file"
                    + " away to start with fresh scores; it was left as it is");
        }
    }

    /** Jackson's own words, on one line, with where in the file and which field. */
    private static String problem(Exception e) {
        if (!(e instanceof JsonProcessingException json)) {
            return e.getMessage();
        }
        return JsonProblem.describe(json) + location(json);
    }

    private static String location(JsonProcessingException e) {
        JsonLocation location = e.getLocation();
        return location == null || location.getLineNr() <= 0 ? ""
                : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static void check(ValidatorState state) {
        if (state.schema() != ValidatorState.SCHEMA) {
            throw new IllegalArgumentException("schema " + state.schema() + " is not " + ValidatorState.SCHEMA);
        }
        if (state.hotkey() == null) {
            throw new IllegalArgumentException("it names no hotkey");
        }
        // The score book is restored by position, so entry i must be uid i.
        for (int i = 0; i < state.scores().size(); i++) {
            ValidatorState.ScoreEntry entry = state.scores().get(i);
            if (entry.uid() != i) {
                throw new IllegalArgumentException("score entry " + i + " is for uid " + entry.uid() + "; entries must list uids 0, 1, 2, ... in order");
            }
            if (entry.hotkey() == null) {
                throw new IllegalArgumentException("score of uid " + entry.uid() + " names no hotkey");
            }
            if (!(entry.score() >= 0 && entry.score() <= 1)) {
                throw new IllegalArgumentException("score of uid " + entry.uid() + " is " + entry.score() + ", outside [0, 1]");
            }
        }
        for (ValidatorState.WeightsRecord weights : new ValidatorState.WeightsRecord[] {state.lastWeights(), state.pending()}) {
            if (weights != null) {
                check(weights);
            }
        }
    }

    /** A pending record is sent or revealed after a restart as it stands, so it must be one the chain could take. */
    private static void check(ValidatorState.WeightsRecord weights) {
        String what = "weights " + weights.id();
        if (weights.uids().size() != weights.values().size()) {
            throw new IllegalArgumentException(what + " have " + weights.uids().size() + " uids and "
                    + weights.values().size() + " values");
        }
        if (!"set".equals(weights.kind()) && !"commit".equals(weights.kind())) {
            throw new IllegalArgumentException(what + " are of kind '" + weights.kind() + "', not set or commit");
        }
        for (List<Integer> numbers : List.of(weights.uids(), weights.values(), weights.salt())) {
            for (int number : numbers) {
                if (number < 0 || number > 65_535) {
                    throw new IllegalArgumentException(what + " hold " + number + ", which is not a uint16");
                }
            }
        }
        if ("commit".equals(weights.kind()) && (weights.salt().isEmpty() || weights.commitHash() == null)) {
            throw new IllegalArgumentException(what + " are a commit without its salt or hash, so they cannot be revealed");
        }
    }

    /** The state file exists but must not be used as it is. */
    public static class InvalidStateException extends IOException {
        public InvalidStateException(String message) {
            super(message);
        }
    }

    /** The state file could not be read and is now out of the way, kept aside for the operator. */
    public static final class DamagedStateException extends InvalidStateException {
        public DamagedStateException(String message) {
            super(message);
        }
    }
}
