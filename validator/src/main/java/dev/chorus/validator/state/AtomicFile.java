package dev.chorus.validator.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/**
 * Replaces a file so that a reader (or a restart after SIGKILL or power loss) sees either the old
 * content or the new one, never a mix: write a temp file in the same folder, fsync it, rename it over
 * the target, fsync the folder. The file is readable and writable by its owner only ({@link OwnerOnly}). The temporary
 * name is fixed, since the state folder's lock keeps one process writing. (The benchmarks' result files have an
 * AtomicFile of their own, for files that must stay readable by others and need no fsync: a rerun makes them again.)
 */
public final class AtomicFile {

    private AtomicFile() {
    }

    public static void write(Path target, byte[] content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = dir.resolve(target.getFileName() + ".tmp");
        Files.deleteIfExists(temp);
        writeNewFile(temp, dir, content);
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the file system of " + dir + " cannot rename atomically; put the state folder on a local disk", e);
        }
        syncDirectory(dir);
    }

    /**
     * Creates {@code target}, which must not exist, with {@code content}, owner-only from its first byte and on disk
     * (folder entry included) before this returns; for a file that must never replace another, such as a key.
     *
     * @throws java.nio.file.FileAlreadyExistsException if {@code target} exists, which is left as it was
     */
    public static void createNew(Path target, byte[] content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        writeNewFile(target, dir, content);
        syncDirectory(dir);
    }

    /** Writes a file that does not exist yet and forces it to disk; a failed write leaves no partial file behind. */
    private static void writeNewFile(Path file, Path dir, byte[] content) throws IOException {
        try (FileChannel channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                OwnerOnly.creating(dir))) {
            try {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(file);
                throw e;
            }
        }
    }

    /**
     * Forces the folder's entries to disk. A failed fsync is not ignored: the disk then may not hold the rename, and the
     * caller must not report the file saved (it is the same lesson as PostgreSQL's "fsyncgate").
     */
    private static void syncDirectory(Path dir) throws IOException {
        FileChannel channel;
        try {
            channel = FileChannel.open(dir, StandardOpenOption.READ);
        } catch (IOException cannotOpen) {
            // Some platforms cannot open a directory for fsync; the rename itself is still atomic there.
            return;
        }
        try (channel) {
            channel.force(true);
        } catch (IOException e) {
            throw new IOException("the folder " + dir + " could not be flushed to disk after writing a file in it: "
                    + e.getMessage(), e);
        }
    }
}
