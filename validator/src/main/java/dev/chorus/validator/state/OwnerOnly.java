package dev.chorus.validator.state;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files that only their owner may read (rw-------): the state file holds a pending commit's salt and weights, secret
 * until the reveal, the round log holds consumers' prompts and the private reference answers, and a keystore the key.
 * Where the file system has no POSIX permissions the folder's own protection has to do.
 */
final class OwnerOnly {

    private static final Set<PosixFilePermission> READ_WRITE = PosixFilePermissions.fromString("rw-------");

    private OwnerOnly() {
    }

    /** The attributes that create a file in {@code dir} owner-only; none where the file system has no POSIX modes. */
    static FileAttribute<?>[] creating(Path dir) {
        return posix(dir) ? new FileAttribute<?>[]{PosixFilePermissions.asFileAttribute(READ_WRITE)} : new FileAttribute<?>[0];
    }

    /**
     * Takes group and other access away from a file that an earlier version, or another tool, created under the
     * umask.
     */
    static void restrict(Path file) throws IOException {
        if (!posix(file) || Files.getPosixFilePermissions(file).equals(READ_WRITE)) {
            return;
        }
        try {
            Files.setPosixFilePermissions(file, READ_WRITE);
        } catch (IOException e) {
            throw new IOException(file + " may be readable by other users and cannot be made owner-only ("
                    + FileProblem.describe(e) + "); give it to the validator's user (chown) or remove it", e);
        }
    }

    private static boolean posix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
