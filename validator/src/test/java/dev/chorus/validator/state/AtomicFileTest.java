package dev.chorus.validator.state;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

class AtomicFileTest {

    @TempDir
    Path dir;

    @Test
    void replacesContentAndLeavesNoTempFile() throws IOException {
        Path target = dir.resolve("sub/state.json");
        AtomicFile.write(target, "one".getBytes());
        AtomicFile.write(target, "two".getBytes());
        assertThat(Files.readString(target)).isEqualTo("two");
        try (var files = Files.list(target.getParent())) {
            assertThat(files).containsExactly(target);
        }
    }

    @Test
    void onlyTheOwnerMayReadTheFileEvenWhenAStaleTempFileWasReadable() throws IOException {
        Path target = dir.resolve("state.json");
        Path stale = dir.resolve("state.json.tmp");
        Files.writeString(stale, "left by a crash");
        Files.setPosixFilePermissions(stale, PosixFilePermissions.fromString("rw-r--r--"));

        AtomicFile.write(target, "secret".getBytes());

        assertThat(Files.getPosixFilePermissions(target)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(target)).isEqualTo("secret");
        assertThat(stale).doesNotExist();
    }
}
