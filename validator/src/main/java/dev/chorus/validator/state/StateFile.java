package dev.chorus.validator.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
     * @throws InvalidStateException when the file belongs to another subnet or hotkey (never silently reused)
     */
    public Optional<ValidatorState> load(int netuid, String hotkey) throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        ValidatorState state;
        try {
            state = JSON.readValue(file.toFile(), ValidatorState.class);
            check(state);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            Path aside = file.resolveSibling(FILE_NAME + ".corrupt-" + System.currentTimeMillis());
            Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
            throw new DamagedStateException("state file " + file + " is damaged (" + e.getMessage()
                    + "); it was moved to " + aside + " and the validator starts with fresh scores");
        }
        if (state.netuid() != netuid || !state.hotkey().equalsIgnoreCase(hotkey)) {
            throw new InvalidStateException("state file " + file + " belongs to netuid " + state.netuid() + " and hotkey "
                    + state.hotkey() + ", not netuid " + netuid + " and hotkey " + hotkey
                    + "; point state.dir at this validator's own folder");
        }
        return Optional.of(state);
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
            if (weights != null && weights.uids().size() != weights.values().size()) {
                throw new IllegalArgumentException("weights " + weights.id() + " have " + weights.uids().size() + " uids and "
                        + weights.values().size() + " values");
            }
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
