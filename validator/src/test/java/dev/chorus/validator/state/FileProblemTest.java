package dev.chorus.validator.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import org.junit.jupiter.api.Test;

class FileProblemTest {

    @Test
    void namesTheProblemNotOnlyThePath() {
        assertThat(FileProblem.describe(new AccessDeniedException("/srv/state/x.tmp"))).isEqualTo("permission denied on /srv/state/x.tmp");
        assertThat(FileProblem.describe(new FileAlreadyExistsException("/srv/state"))).isEqualTo("/srv/state is a file, not a folder");
        assertThat(FileProblem.describe(new DirectoryNotEmptyException("/srv/state/x.tmp"))).isEqualTo("a folder is in the way at /srv/state/x.tmp");
        assertThat(FileProblem.describe(new FileSystemException("/srv/state/x", null, "No space left on device")))
                .isEqualTo("No space left on device (/srv/state/x)");
        assertThat(FileProblem.describe(new IOException("stream closed"))).isEqualTo("java.io.IOException: stream closed");
    }
}
