package dev.chorus.validator.state;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/** What went wrong with a file, in words an operator can act on: Java's own message is often the bare path. */
public final class FileProblem {

    private FileProblem() {
    }

    public static String describe(IOException e) {
        return switch (e) {
            case AccessDeniedException denied -> "permission denied on " + denied.getFile();
            case FileAlreadyExistsException exists -> exists.getFile() + " is a file, not a folder";
            case DirectoryNotEmptyException folder -> "a folder is in the way at " + folder.getFile();
            // Java gives no reason for it; creating an entry in a place that takes none (/proc, /sys) ends here too.
            case NoSuchFileException missing -> missing.getFile() + " does not exist and cannot be created there";
            case FileSystemException fs when fs.getReason() != null -> fs.getReason() + " (" + fs.getFile() + ")";
            default -> e.toString();
        };
    }
}
