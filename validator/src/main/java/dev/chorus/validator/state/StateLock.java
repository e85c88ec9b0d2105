package dev.chorus.validator.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One validator per state folder. Two processes on one folder would each overwrite the other's score book and
 * pending-weights record, and the record that keeps a weights transaction from being sent twice would no longer
 * tell the truth. The lock is the operating system's, so it goes with the process however that ends.
 */
public final class StateLock implements AutoCloseable {

    public static final String FILE_NAME = ".lock";

    private final FileChannel channel;
    private final FileLock lock;

    private StateLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Creates the folder if needed and locks it.
     *
     * @throws StateDirUnusableException when another validator holds it, or the folder cannot be created or written
     */
    public static StateLock acquire(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        FileChannel channel;
        try {
            Files.createDirectories(dir);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new StateDirUnusableException("state.dir " + dir.toAbsolutePath() + " cannot be used: " + FileProblem.describe(e)
                    + "; point state.dir at a folder this user can write", e);
        }
        try {
            FileLock lock = tryLock(channel);
            if (lock == null) {
                String holder = Files.readString(file, StandardCharsets.UTF_8).strip();
                channel.close();
                throw new StateDirUnusableException("state.dir " + dir.toAbsolutePath() + " is in use by another validator"
                        + (holder.isEmpty() ? "" : " (" + holder + ")") + "; two on one folder would overwrite each other's"
                        + " scores and could send weights twice: stop the other one, or give this one its own state.dir");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8)), 0);
            return new StateLock(channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new StateDirUnusableException("state.dir " + dir.toAbsolutePath() + " cannot be locked: " + FileProblem.describe(e), e);
        }
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException heldInThisProcess) {
            return null;
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Already failing with the reason that matters.
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }

    /** The state folder cannot serve this validator; the message says why and what to change. */
    public static final class StateDirUnusableException extends RuntimeException {
        StateDirUnusableException(String message) {
            super(message);
        }

        StateDirUnusableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
