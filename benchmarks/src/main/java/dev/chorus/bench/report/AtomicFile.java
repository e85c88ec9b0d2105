package dev.chorus.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * Writes a result file whole or not at all: the bytes go to a temporary sibling that is then renamed over the file,
 * so an interrupted or failed write never leaves a truncated or empty file where an earlier run's complete one was.
 * Not the validator's {@code dev.chorus.validator.state.AtomicFile}: that one makes files owner-only and forces them to
 * disk, right for a state file holding secrets and wrong for results meant to be shared, which a rerun can make again;
 * and its fixed temporary name relies on a lock, where two runs may write into one output folder.
 */
public final class AtomicFile {

    private AtomicFile() {
    }

    public static void write(Path file, byte[] content) throws IOException {
        // Created as any file is (not createTempFile's owner-only mode), so the result keeps the usual permissions.
        Path temporary = file.resolveSibling("." + file.getFileName() + "." + UUID.randomUUID() + ".part");
        try {
            Files.write(temporary, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temporary);
            throw new IOException("Could not write " + file + ": " + e.getMessage()
                    + "; check that it is not a folder and that its folder is writable", e);
        }
    }

    public static void write(Path file, CharSequence text) throws IOException {
        write(file, text.toString().getBytes(StandardCharsets.UTF_8));
    }
}
