package dev.chorus.cli.chain;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chorus.cli.UserInputException;
import dev.chorus.validator.state.FileProblem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a subnet lives: what {@code chain up} writes to its endpoint file so the other chain commands
 * (and an operator's config) can find the running chain without flags. {@code chainUpPid} and {@code anvilPid} name
 * the processes of the {@code chain up} that wrote it, so that a later one can say what still answers there; null in
 * an endpoint given by flags, or in a file an older {@code chain up} wrote.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChainEndpoint(String rpcUrl, String contract, long chainId, int netuid, Long chainUpPid, Long anvilPid) {

    /** The endpoint file {@code chain up} writes and the other commands read, relative to the working directory. */
    public static final Path DEFAULT_FILE = Path.of("state", "local-chain.json");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** An endpoint no known process serves, as given by flags. */
    public ChainEndpoint(String rpcUrl, String contract, long chainId, int netuid) {
        this(rpcUrl, contract, chainId, netuid, null, null);
    }

    public void write(Path file) {
        Path temporary = null;
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            temporary = Files.createTempFile(parent, ".local-chain", ".json");
            JSON.writerWithDefaultPrettyPrinter().writeValue(temporary.toFile(), this);
            Files.move(temporary, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException notDeleted) {
                    e.addSuppressed(notDeleted);
                }
            }
            throw new UserInputException("cannot write the chain endpoint file " + file + ": " + FileProblem.describe(e)
                    + "; give --chain-file a path this user can write", e);
        }
    }

    public static ChainEndpoint read(Path file) {
        if (!Files.isRegularFile(file)) {
            // The default path is relative: run from another folder than `chain up`, the file is there, not here.
            String where = file.isAbsolute() ? "" : " (" + file + " is read relative to the working directory: run from"
                    + " the folder `chorus chain up` ran in, or give its file with --chain-file)";
            throw new UserInputException("no chain endpoint file at " + file.toAbsolutePath() + where
                    + "; start a local chain with `chorus chain up`, or pass --rpc-url, --contract and --netuid");
        }
        try {
            return JSON.readValue(file.toFile(), ChainEndpoint.class);
        } catch (JsonProcessingException e) {
            // Jackson's own message quotes the source and the Java type it was mapping to; the user needs the place.
            JsonLocation at = e.getLocation();
            throw new UserInputException("the chain endpoint file " + file + " is not valid: " + e.getOriginalMessage()
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")")
                    + "; run `chorus chain up` again to rewrite it, or pass --rpc-url, --contract and --netuid", e);
        } catch (IOException e) {
            throw new UserInputException("cannot read the chain endpoint file " + file + ": " + FileProblem.describe(e), e);
        }
    }
}
