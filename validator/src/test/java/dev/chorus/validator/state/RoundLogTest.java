package dev.chorus.validator.state;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class RoundLogTest {

    @TempDir
    Path dir;

    private static RoundRecord round(long n) {
        return new RoundRecord(n, 1_700_000_000_000L + n, 100 + n, "q" + n, "What is " + n + "?", null, false,
                List.of(new RoundRecord.MinerRecord(1, "0xabc", "answer " + n, null, null, 120, 1.0, 0.75),
                        new RoundRecord.MinerRecord(2, "0xdef", null, "TIMEOUT", "no answer within 8000 ms", 8000, 1.0, 0.0)),
                new RoundRecord.MetagraphView(4, List.of(0, 3)));
    }

    /** The log's form, both ways: a replay written against it reads what the validator writes. */
    @Test
    void aRoundIsOneLineOfThisForm() throws IOException {
        String line = "{\"round\":1,\"timestampMs\":1700000000001,\"block\":101,\"queryId\":\"q1\",\"prompt\":\"What is 1?\","
                + "\"reference\":null,\"organic\":false,\"miners\":["
                + "{\"uid\":1,\"hotkey\":\"0xabc\",\"answer\":\"answer 1\",\"failure\":null,\"detail\":null,\"latencyMs\":120,"
                + "\"trust\":1.0,\"reward\":0.75},"
                + "{\"uid\":2,\"hotkey\":\"0xdef\",\"answer\":null,\"failure\":\"TIMEOUT\",\"detail\":\"no answer within 8000 ms\","
                + "\"latencyMs\":8000,\"trust\":1.0,\"reward\":0.0}],"
                + "\"metagraph\":{\"size\":4,\"notMiners\":[0,3]}}";
        try (RoundLog log = new RoundLog(dir, 1 << 20, 3)) {
            log.append(round(1));
        }
        Path file = dir.resolve(RoundLog.FILE_NAME);
        assertThat(Files.readString(file)).isEqualTo(line + "\n");

        Files.writeString(file, line + "\n");
        assertThat(RoundLog.read(file).rounds()).containsExactly(round(1));
    }

    /** Logs written before rounds recorded the metagraph still replay, with it unknown. */
    @Test
    void aLineWithoutTheMetagraphReadsWithItUnknown() throws IOException {
        Path file = dir.resolve(RoundLog.FILE_NAME);
        try (RoundLog log = new RoundLog(dir, 1 << 20, 3)) {
            log.append(round(1));
        }
        String withView = Files.readString(file).strip();
        String before = withView.replace(",\"metagraph\":{\"size\":4,\"notMiners\":[0,3]}", "");
        assertThat(before).isNotEqualTo(withView);
        Files.writeString(file, before + "\n");

        RoundRecord read = RoundLog.read(file).rounds().getFirst();
        assertThat(read.metagraph()).isNull();
        assertThat(read.miners()).isEqualTo(round(1).miners());
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

    /** A round that outlives the validator's stop (an organic one) must not write once the folder's lock is let go. */
    @Test
    void anAppendAfterCloseIsRefusedAndWritesNothing() throws IOException {
        RoundLog log = new RoundLog(dir, 1 << 20, 3);
        log.append(round(1));
        log.close();

        assertThatThrownBy(() -> log.append(round(2))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is closed").hasMessageContaining("round 2 is not logged");
        assertThat(RoundLog.read(dir.resolve(RoundLog.FILE_NAME)).rounds()).containsExactly(round(1));
    }

    @Test
    void tornLastLineIsCutOnOpenAndSkippedOnRead() throws IOException {
        try (RoundLog log = new RoundLog(dir, 1 << 20, 3)) {
            log.append(round(1));
        }
        Path file = dir.resolve(RoundLog.FILE_NAME);
        Files.writeString(file, "{\"round\":2,\"timest", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        assertThat(RoundLog.read(file).skippedLines()).isEqualTo(1);
        assertThat(RoundLog.read(file).damaged()).as("line numbers from 1").containsExactly(new RoundLog.DamagedLine(2,
                "cut short: the file ends inside it, as when the validator was stopped mid-write (it cuts such a line off"
                        + " when it starts again) or is writing it still"));

        try (RoundLog log = new RoundLog(dir, 1 << 20, 3)) {
            log.append(round(3));
        }
        RoundLog.Read read = RoundLog.read(file);
        assertThat(read.rounds()).containsExactly(round(1), round(3));
        assertThat(read.skippedLines()).isZero();
    }

    @Test
    void rotatesBySizeAndKeepsTheNewestFiles() throws IOException {
        long lineSize = lineSize();
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
        assertThat(roundsIn(files)).containsExactly(2L, 3L, 4L, 5L, 6L, 7L);
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

    /**
     * A log another user owns (a first run as root, say) fails the start with what is wrong and what to do, not with
     * Java's bare path, which was all the operator saw.
     */
    @Test
    void aLogThatCannotBeOpenedSaysWhyAndWhatToDo() {
        RoundLog.Opener denied = file -> {
            throw new AccessDeniedException(file.toString());
        };
        assertThatThrownBy(() -> new RoundLog(dir, 1 << 20, 3, denied)).isInstanceOf(IOException.class)
                .hasMessageContaining("the round log " + dir.resolve(RoundLog.FILE_NAME).toAbsolutePath()
                        + " cannot be opened: permission denied on ")
                .hasMessageContaining("or use another folder (a validator's state.dir)");
    }

    /**
     * The log cannot be reopened once, right after a rotation (too many open files for a moment): that round is lost,
     * the next one opens a new log, and no rotated log is shifted or deleted for it.
     */
    @Test
    void aRotationThatCannotReopenTheLogOnceCostsOneRoundAndNoRotatedLog() throws IOException {
        boolean[] failNextOpen = {false};
        RoundLog.Opener opener = file -> {
            if (failNextOpen[0]) {
                failNextOpen[0] = false;
                throw new IOException("Too many open files");
            }
            return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        };
        long lineSize = lineSize();
        try (RoundLog log = new RoundLog(dir, lineSize + 1, 3, opener)) {
            for (int i = 1; i <= 4; i++) {
                log.append(round(i));
            }
            failNextOpen[0] = true;
            assertThatThrownBy(() -> log.append(round(5))).isInstanceOf(IOException.class)
                    .hasMessageContaining("Too many open files");
            log.append(round(6));
        }
        assertThat(RoundLog.files(dir)).extracting(p -> p.getFileName().toString())
                .containsExactly("rounds.jsonl.3", "rounds.jsonl.2", "rounds.jsonl.1", "rounds.jsonl");
        assertThat(roundsIn(RoundLog.files(dir))).as("every round but the one whose log could not be opened")
                .containsExactly(2L, 3L, 4L, 6L);
    }

    /** A rotation that cannot shift the rotated logs leaves the live log open: the round that failed is the only one lost. */
    @Test
    void aRotationThatCannotShiftTheRotatedLogsKeepsWritingTheLiveLog() throws IOException {
        long lineSize = lineSize();
        // the oldest rotated log is a folder that is not empty, so it cannot be deleted
        Files.createDirectories(dir.resolve(RoundLog.FILE_NAME + ".1").resolve("in-the-way"));
        try (RoundLog log = new RoundLog(dir, lineSize + 1, 1)) {
            log.append(round(1));
            assertThatThrownBy(() -> log.append(round(2))).isInstanceOf(IOException.class);
            Files.delete(dir.resolve(RoundLog.FILE_NAME + ".1").resolve("in-the-way"));
            Files.delete(dir.resolve(RoundLog.FILE_NAME + ".1"));
            log.append(round(3));
        }
        assertThat(roundsIn(RoundLog.files(dir))).containsExactly(1L, 3L);
    }

    /**
     * The newest synthetic round's number is found from the end, past organic rounds (numbered apart), damaged and blank
     * lines, in the rotated logs when the live one holds none, across blocks when lines are long.
     */
    @Test
    void theLastSyntheticRoundIsFoundFromTheEndOfTheLogs() throws IOException {
        try (RoundLog log = new RoundLog(dir, 1 << 24, 2)) {
            assertThat(log.lastSyntheticRound()).as("no log yet").isZero();
        }
        long lineSize = lineSize();
        try (RoundLog log = new RoundLog(dir, lineSize * 3 + 1, 2)) {
            for (int i = 1; i <= 7; i++) {
                log.append(round(i));
            }
            assertThat(log.lastSyntheticRound()).isEqualTo(7);
        }
        RoundRecord organic = new RoundRecord(1, 0, 0, "org-1", "x".repeat(200_000), null, true, round(1).miners(), null);
        Path live = dir.resolve(RoundLog.FILE_NAME);
        Files.delete(live);
        try (RoundLog log = new RoundLog(dir, 1 << 24, 2)) {
            log.append(organic);
            Files.writeString(live, "{not json\n\n", StandardOpenOption.APPEND);
            log.append(organic);
            assertThat(log.lastSyntheticRound()).as("in rounds.jsonl.1, past the live log's organic and damaged lines")
                    .isEqualTo(6);
            log.append(round(8));
            log.append(organic);
            assertThat(log.lastSyntheticRound()).isEqualTo(8);
        }
    }

    /** The size of one round's line: each round of {@link #round} writes one of the same size. */
    private long lineSize() throws IOException {
        try (RoundLog log = new RoundLog(dir, 1 << 20, 1)) {
            log.append(round(0));
            long size = Files.size(log.file());
            Files.delete(log.file());
            return size;
        }
    }

    private static List<Long> roundsIn(List<Path> files) {
        return files.stream().flatMap(f -> {
            try {
                return RoundLog.read(f).rounds().stream();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }).map(RoundRecord::round).toList();
    }

    /** A full disk mid-line: the round that failed is lost, the next one written is not (it used to join the torn line). */
    @ParameterizedTest(name = "partial line cut off: {0}")
    @ValueSource(booleans = {true, false})
    void aWriteThatFailsPartWayCostsNoLaterRound(boolean cutOff) throws IOException {
        DiskFullOnce disk = new DiskFullOnce(1, !cutOff);
        try (RoundLog log = new RoundLog(dir, 1 << 20, 3, disk::open)) {
            log.append(round(1));
            assertThatThrownBy(() -> log.append(round(2))).isInstanceOf(IOException.class)
                    .hasMessageContaining("No space left");
            log.append(round(3));
        }
        RoundLog.Read read = RoundLog.read(dir.resolve(RoundLog.FILE_NAME));
        assertThat(read.rounds()).containsExactly(round(1), round(3));
        assertThat(read.damaged()).as("the half line, where it could not be cut off").hasSize(cutOff ? 0 : 1);
    }

    /** The log can be gigabytes: its torn tail is found from the end, across blocks, without reading it whole. */
    @Test
    void aTornTailLongerThanOneBlockIsCutBackToTheLastWholeLine() throws IOException {
        try (RoundLog log = new RoundLog(dir, 1 << 24, 3)) {
            for (int i = 0; i < 200; i++) {
                log.append(round(i));
            }
        }
        Path file = dir.resolve(RoundLog.FILE_NAME);
        long whole = Files.size(file);
        Files.writeString(file, "{\"round\":200,\"prompt\":\"" + "x".repeat(150_000), StandardOpenOption.APPEND);

        try (RoundLog log = new RoundLog(dir, 1 << 24, 3)) {
            assertThat(Files.size(file)).isEqualTo(whole);
            log.append(round(201));
        }
        RoundLog.Read read = RoundLog.read(file);
        assertThat(read.rounds()).hasSize(201).last().isEqualTo(round(201));
        assertThat(read.skippedLines()).isZero();
    }

    @Test
    void aLogWithoutAnyNewlineIsCutToNothing() throws IOException {
        Path file = dir.resolve(RoundLog.FILE_NAME);
        Files.writeString(file, "{\"round\":1,\"pro");
        try (RoundLog log = new RoundLog(dir, 1 << 20, 3)) {
            log.append(round(2));
        }
        assertThat(RoundLog.read(file).rounds()).containsExactly(round(2));
    }

    /**
     * Lines no validator writes are skipped with their numbers and what is wrong with each, so a replay goes on and its
     * user knows what to mend: bytes that are not UTF-8 (a copy cut inside a character), JSON null, a uid outside
     * uint16, a reward or trust outside [0, 1], a metagraph whose non-miners are not uids of it, or not in order.
     */
    @Test
    void linesNoValidatorWritesAreSkippedNotFatal() throws IOException {
        try (RoundLog log = new RoundLog(dir, 1 << 20, 3)) {
            log.append(round(1));
        }
        Path file = dir.resolve(RoundLog.FILE_NAME);
        String good = Files.readString(file).strip();
        byte[] cutInsideACharacter = "{\"round\":2,\"prompt\":\"At 100 \u00b0".getBytes(StandardCharsets.UTF_8);
        try (var out = Files.newOutputStream(file, StandardOpenOption.APPEND)) {
            out.write(java.util.Arrays.copyOf(cutInsideACharacter, cutInsideACharacter.length - 1));
            out.write('\n');
            out.write(String.join("\n", "null", good.replace("\"uid\":1,", "\"uid\":-1,"),
                    good.replace("\"uid\":1,", "\"uid\":70000,"), good.replace("\"reward\":0.75", "\"reward\":5.0"),
                    good.replace("\"trust\":1.0,\"reward\":0.75", "\"trust\":-0.5,\"reward\":0.75"),
                    good.replace("\"notMiners\":[0,3]", "\"notMiners\":[0,4]"),
                    good.replace("\"notMiners\":[0,3]", "\"notMiners\":[3,0]"),
                    good.replace("\"size\":4", "\"size\":-1"), "", good, "")
                    .getBytes(StandardCharsets.UTF_8));
        }
        RoundLog.Read read = RoundLog.read(file);
        assertThat(read.rounds()).containsExactly(round(1), round(1));
        assertThat(read.damaged()).extracting(RoundLog.DamagedLine::number).containsExactly(2, 3, 4, 5, 6, 7, 8, 9, 10);
        assertThat(read.damaged()).extracting(RoundLog.DamagedLine::problem).containsExactly(
                "not UTF-8 text",
                "null, not a round",
                "miners[0].uid -1 is not a uid (0 to 65535)",
                "miners[0].uid 70000 is not a uid (0 to 65535)",
                "miners[0] (uid 1) has trust 1.0 and reward 5.0; both are shares, 0 to 1",
                "miners[0] (uid 1) has trust -0.5 and reward 0.75; both are shares, 0 to 1",
                "notMiners [0, 4] must be distinct uids of the metagraph (0 to 3), ascending in metagraph (column 429)",
                "notMiners [3, 0] must be distinct uids of the metagraph (0 to 3), ascending in metagraph (column 429)",
                "a metagraph of -1 uids; a subnet has 0 to 65536 in metagraph (column 430)");
    }

    /**
     * What the replay could not score, or would score as another round than the one run, is damage named on its line:
     * it used to stop the replay with no file or line (a uid twice: "uid 1 appears twice in the round"; a latency past
     * 292 years: "long overflow"; no failure kind: "Round 1, uid 2: ...", and round numbers repeat), or to be read
     * silently as another round (a uid left out or null read as uid 0, uid 1.5 as uid 1).
     */
    @Test
    void linesTheReplayCouldNotScoreAreSkippedSayingWhatIsWrong() throws IOException {
        try (RoundLog log = new RoundLog(dir, 1 << 20, 3)) {
            log.append(round(1));
        }
        Path file = dir.resolve(RoundLog.FILE_NAME);
        String good = Files.readString(file).strip();
        String secondMiner = "{\"uid\":2,\"hotkey\":\"0xdef\",\"answer\":null,\"failure\":\"TIMEOUT\"";
        assertThat(good).contains(secondMiner);
        Files.writeString(file, String.join("\n", good,
                good.replace("\"uid\":2,", "\"uid\":1,"),
                good.replace("\"latencyMs\":8000", "\"latencyMs\":9999999999999999"),
                good.replace("\"failure\":\"TIMEOUT\"", "\"failure\":null"),
                good.replace("\"failure\":\"TIMEOUT\"", "\"failure\":\"EXPLODED\""),
                good.replace("\"uid\":2,", "\"uid\":null,"),
                good.replace("\"uid\":2,", ""),
                good.replace("\"uid\":2,", "\"uid\":1.5,"),
                good.replace("\"organic\":false", "\"organic\":\"no\""),
                "{\"round\":9,\"miners\":[]}",
                "{not json", "") + "{\"round\":12,\"timestampMs\":17");

        RoundLog.Read read = RoundLog.read(file);
        assertThat(read.rounds()).containsExactly(round(1));
        assertThat(read.damaged()).extracting(RoundLog.DamagedLine::number).containsExactly(2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
        assertThat(read.damaged()).extracting(RoundLog.DamagedLine::problem).satisfiesExactly(
                p -> assertThat(p).isEqualTo("uid 1 is in the round twice, miners[0] and miners[1]: a validator asks each"
                        + " miner once"),
                p -> assertThat(p).isEqualTo("miners[1].latencyMs 9999999999999999 is not a latency (0 to 9223372036854 ms)"),
                p -> assertThat(p).isEqualTo("miners[1] (uid 2) has no answer and no failure; the failure is one of"
                        + " [NOT_SERVING, REFUSED, CONNECTION_LOST, TIMEOUT, HTTP_STATUS, OVERSIZE, BAD_SIGNATURE, MALFORMED]"),
                p -> assertThat(p).startsWith("miners[1] (uid 2) has no answer and the failure 'EXPLODED', which this"
                        + " version does not know (a newer validator's? replay with that version)"),
                p -> assertThat(p).startsWith("`int` value missing or null in miners[1].uid (column "),
                p -> assertThat(p).startsWith("`int` value missing or null in miners[1].uid (column "),
                p -> assertThat(p).startsWith("Cannot coerce Floating-point value (1.5) to `int` value in miners[1].uid (column "),
                p -> assertThat(p).startsWith("Cannot deserialize value of type `boolean` from String \"no\"")
                        .contains("in organic (column "),
                p -> assertThat(p).isEqualTo("`long` value missing or null in timestampMs (column 23)"),
                p -> assertThat(p).startsWith("Unexpected character ('n' (code 110))").endsWith("(column 2)"),
                p -> assertThat(p).startsWith("cut short: the file ends inside it"));
    }

    /** Writes through a real file, except that one write stops half-way with ENOSPC, and truncating may fail too. */
    private static final class DiskFullOnce {
        private final int writesBeforeFailure;
        private final boolean truncateFails;

        DiskFullOnce(int writesBeforeFailure, boolean truncateFails) {
            this.writesBeforeFailure = writesBeforeFailure;
            this.truncateFails = truncateFails;
        }

        SeekableByteChannel open(Path file) throws IOException {
            FileChannel real = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
            return new SeekableByteChannel() {
                private int writes;

                @Override
                public int write(ByteBuffer src) throws IOException {
                    if (writes++ == writesBeforeFailure) {
                        ByteBuffer half = src.duplicate();
                        half.limit(src.position() + src.remaining() / 2);
                        src.position(src.position() + real.write(half));
                        throw new IOException("No space left on device");
                    }
                    return real.write(src);
                }

                @Override
                public SeekableByteChannel truncate(long size) throws IOException {
                    if (truncateFails) {
                        throw new IOException("No space left on device");
                    }
                    real.truncate(size);
                    return this;
                }

                @Override
                public int read(ByteBuffer dst) throws IOException {
                    return real.read(dst);
                }

                @Override
                public long position() throws IOException {
                    return real.position();
                }

                @Override
                public SeekableByteChannel position(long newPosition) throws IOException {
                    real.position(newPosition);
                    return this;
                }

                @Override
                public long size() throws IOException {
                    return real.size();
                }

                @Override
                public boolean isOpen() {
                    return real.isOpen();
                }

                @Override
                public void close() throws IOException {
                    real.close();
                }
            };
        }
    }

    private static String modeOf(Path file) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }
}
