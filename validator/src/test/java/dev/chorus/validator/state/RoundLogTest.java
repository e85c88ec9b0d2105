package dev.chorus.validator.state;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class RoundLogTest {

    @TempDir
    Path dir;

    private static RoundRecord round(long n) {
        return new RoundRecord(n, 1_700_000_000_000L + n, 100 + n, "q" + n, "What is " + n + "?", null, false,
                List.of(new RoundRecord.MinerRecord(1, "0xabc", "answer " + n, null, null, 120, 1.0, 0.75),
                        new RoundRecord.MinerRecord(2, "0xdef", null, "TIMEOUT", "no answer within 8000 ms", 8000, 1.0, 0.0)));
    }

    @Test
    void roundsReadBackEqual() throws IOException {
        try (RoundLog log = new RoundLog(dir, 1 << 20, 3)) {
            log.append(round(1));
            log.append(round(2));
        }
        RoundLog.Read read = RoundLog.read(dir.resolve(RoundLog.FILE_NAME));
        assertThat(read.rounds()).containsExactly(round(1), round(2));
        assertThat(read.skippedLines()).isZero();
    }

    @Test
    void tornLastLineIsCutOnOpenAndSkippedOnRead() throws IOException {
        try (RoundLog log = new RoundLog(dir, 1 << 20, 3)) {
            log.append(round(1));
        }
        Path file = dir.resolve(RoundLog.FILE_NAME);
        Files.writeString(file, "{\"round\":2,\"timest", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        assertThat(RoundLog.read(file).skippedLines()).isEqualTo(1);
        assertThat(RoundLog.read(file).damagedLines()).as("line numbers from 1").containsExactly(2);

        try (RoundLog log = new RoundLog(dir, 1 << 20, 3)) {
            log.append(round(3));
        }
        RoundLog.Read read = RoundLog.read(file);
        assertThat(read.rounds()).containsExactly(round(1), round(3));
        assertThat(read.skippedLines()).isZero();
    }

    @Test
    void rotatesBySizeAndKeepsTheNewestFiles() throws IOException {
        long lineSize;
        try (RoundLog log = new RoundLog(dir, 1 << 20, 2)) {
            log.append(round(0));
            lineSize = Files.size(log.file());
        }
        Files.delete(dir.resolve(RoundLog.FILE_NAME));
        try (RoundLog log = new RoundLog(dir, lineSize * 2 + 1, 2)) {
            for (int i = 0; i < 8; i++) {
                log.append(round(i));
            }
        }
        Files.writeString(dir.resolve("rounds.jsonl.bak"), "an operator's copy\n");
        Files.writeString(dir.resolve("rounds.jsonl~"), "an editor's backup\n");
        List<Path> files = RoundLog.files(dir);
        assertThat(files).extracting(p -> p.getFileName().toString())
                .containsExactly("rounds.jsonl.2", "rounds.jsonl.1", "rounds.jsonl");
        List<Long> rounds = files.stream().flatMap(f -> {
            try {
                return RoundLog.read(f).rounds().stream();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }).map(RoundRecord::round).toList();
        assertThat(rounds).containsExactly(2L, 3L, 4L, 5L, 6L, 7L);
    }

    @Test
    void onlyTheOwnerMayReadTheLogBeforeAndAfterRotation() throws IOException {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "POSIX file modes");
        try (RoundLog log = new RoundLog(dir, 1, 2)) {
            log.append(round(1));
            assertThat(modeOf(log.file())).as("a new log").isEqualTo("rw-------");
            log.append(round(2));
        }
        assertThat(modeOf(dir.resolve(RoundLog.FILE_NAME + ".1"))).as("the rotated log").isEqualTo("rw-------");
        assertThat(modeOf(dir.resolve(RoundLog.FILE_NAME))).as("the log opened by the rotation").isEqualTo("rw-------");
    }

    @Test
    void logsLeftReadableByOthersAreMadeOwnerOnlyWhenOpened() throws IOException {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "POSIX file modes");
        try (RoundLog log = new RoundLog(dir, 1, 2)) {
            log.append(round(1));
            log.append(round(2));
        }
        Path live = dir.resolve(RoundLog.FILE_NAME);
        Path rotated = dir.resolve(RoundLog.FILE_NAME + ".1");
        for (Path file : List.of(live, rotated)) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        }

        try (RoundLog log = new RoundLog(dir, 1 << 20, 2)) {
            assertThat(modeOf(live)).isEqualTo("rw-------");
            assertThat(modeOf(rotated)).isEqualTo("rw-------");
        }
        assertThat(RoundLog.read(rotated).rounds()).as("contents kept").containsExactly(round(1));
        assertThat(RoundLog.read(live).rounds()).containsExactly(round(2));
    }

    private static String modeOf(Path file) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }
}
