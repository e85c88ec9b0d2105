package dev.chorus.validator.state;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

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
}
