package dev.chorus.validator.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chorus.miner.client.MinerAnswer;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Appends one JSON line per round to {@code rounds.jsonl} and rotates it by size to
 * {@code rounds.jsonl.1}, {@code .2}, ... Each line is written whole, so a killed process loses at most the line
 * being written, which {@link #read} detects and skips; a write that fails part-way (a full disk) is cut off again,
 * so the next round starts a clean line. It is not fsynced: it is a record for
 * research, and a power loss may take the last lines the kernel had not yet written, while the state file,
 * which is fsynced, keeps the scores. Only its owner may read it ({@link OwnerOnly}): it holds consumers' prompts
 * and the reference answers of a private question set.
 */
public final class RoundLog implements AutoCloseable {

    public static final String FILE_NAME = "rounds.jsonl";
    private static final Pattern LOG_FILE = Pattern.compile(Pattern.quote(FILE_NAME) + "(\\.[0-9]{1,9})?");

    /** A number left out, null or with a fraction where a whole one belongs is damage, not 0 or a rounded value. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
            .configure(DeserializationFeature.ACCEPT_FLOAT_AS_INT, false);

    /** The tail scanned at a time for the last newline: a log may be gigabytes, which must not be read whole. */
    private static final int TAIL_BLOCK = 64 * 1024;
    /** Round-log values that are shares: trust and reward. The scorer's arithmetic may leave them an ulp outside. */
    private static final double SHARE_SLACK = 1e-9;
    /** The longest latency the scorer can take: a {@link Duration} of it counts its nanoseconds in a long. */
    private static final long MAX_LATENCY_MS = Long.MAX_VALUE / 1_000_000;
    /** The failure kinds a validator logs, by name: {@link MinerAnswer.Failure}. */
    private static final Set<String> FAILURES = EnumSet.allOf(MinerAnswer.Failure.class).stream().map(Enum::name)
            .collect(Collectors.toCollection(LinkedHashSet::new));
    /** A longer line cannot be read into memory, and is no round a validator wrote. */
    private static final int MAX_LINE_READ = Integer.MAX_VALUE - 8;
    private static final String CUT_SHORT = "cut short: the file ends inside it, as when the validator was stopped"
            + " mid-write (it cuts such a line off when it starts again) or is writing it still";

    private final Path file;
    private final long maxBytes;
    private final int keep;
    private final Opener opener;
    private SeekableByteChannel channel;
    private boolean closed;
    private long size;
    /** A failed write left part of a line that could not be cut off: the next line must start on a new one. */
    private boolean torn;

    /** Opens the log file for appending; tests give one that fails as a full disk does. */
    interface Opener {
        SeekableByteChannel open(Path file) throws IOException;
    }

    public RoundLog(Path dir, long maxBytes, int keep) throws IOException {
        this(dir, maxBytes, keep, file -> FileChannel.open(file,
                Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND),
                OwnerOnly.creating(file.getParent())));
    }

    RoundLog(Path dir, long maxBytes, int keep, Opener opener) throws IOException {
        Files.createDirectories(dir);
        this.file = dir.resolve(FILE_NAME);
        this.maxBytes = maxBytes;
        this.keep = keep;
        this.opener = opener;
        try {
            repairTornTail();
            // Logs written before this was owner-only, under a 022 umask, would stay readable by every local user.
            for (int i = 0; i <= keep; i++) {
                Path existing = i == 0 ? file : rotated(i);
                if (Files.exists(existing)) {
                    OwnerOnly.restrict(existing);
                }
            }
            open();
        } catch (IOException e) {
            // Java's own message is often the bare path, which says nothing of what to do.
            throw new IOException("the round log " + file.toAbsolutePath() + " cannot be opened: " + FileProblem.describe(e)
                    + "; make the folder and its files writable by this user (a run as another user, root say, leaves"
                    + " them that user's), or use another folder (a validator's state.dir)", e);
        }
    }

    public Path file() {
        return file;
    }

    public synchronized void append(RoundRecord record) throws IOException {
        if (closed) {
            // An organic round that outlived the stop: the folder's lock may be another validator's by now.
            throw new IllegalStateException("the round log " + file + " is closed; round " + record.round() + " is not logged");
        }
        if (!channel.isOpen()) {
            // A rotation that could not reopen the log: open it again here, since rotating again would shift the
            // rotated logs once more and delete the oldest for nothing.
            open();
        }
        byte[] line = ((torn ? "\n" : "") + JSON.writeValueAsString(record) + "\n").getBytes(StandardCharsets.UTF_8);
        if (size > 0 && size + line.length > maxBytes) {
            rotate();
        }
        ByteBuffer bytes = ByteBuffer.wrap(line);
        try {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        } catch (IOException e) {
            cutOffPartialLine();
            throw e;
        }
        size += line.length;
        torn = false;
    }

    private void cutOffPartialLine() {
        try {
            channel.truncate(size);
        } catch (IOException notCut) {
            torn = true;
        }
    }

    /**
     * Every complete round of a log file, oldest first. A line that is not UTF-8, does not parse or holds values no
     * validator writes (a uid outside uint16 or twice in one round, a reward outside [0, 1], a latency that is negative
     * or longer than a {@link Duration} holds, a miner with neither an answer nor a failure kind, a
     * {@link RoundRecord.MetagraphView} naming uids outside it) is skipped, with its number and what is wrong with it.
     * So is a last line cut short, as a validator killed mid-write leaves it (the validator cuts it off when it starts
     * again). A line without the metagraph, as older validators wrote, is read with it null.
     */
    public static Read read(Path file) throws IOException {
        List<RoundRecord> rounds = new ArrayList<>();
        List<DamagedLine> damaged = new ArrayList<>();
        try (Utf8LineReader lines = new Utf8LineReader(Files.newInputStream(file))) {
            while (true) {
                String line;
                try {
                    line = lines.next();
                } catch (CharacterCodingException notUtf8) {
                    damaged.add(new DamagedLine(lines.lineNumber(), lines.terminated() ? "not UTF-8 text" : CUT_SHORT));
                    continue;
                }
                if (line == null) {
                    break;
                }
                if (line.isBlank()) {
                    continue;
                }
                try {
                    rounds.add(parse(line));
                } catch (DamageException e) {
                    damaged.add(new DamagedLine(lines.lineNumber(), lines.terminated() ? e.getMessage() : CUT_SHORT));
                }
            }
        }
        return new Read(List.copyOf(rounds), List.copyOf(damaged));
    }

    /** The round a line holds, or why it holds none that a validator could have written. */
    private static RoundRecord parse(String line) throws DamageException {
        RoundRecord round;
        try {
            round = JSON.readValue(line, RoundRecord.class);
        } catch (JsonProcessingException e) {
            throw new DamageException(JsonProblem.describe(e) + column(e));
        }
        if (round == null) {
            throw new DamageException("null, not a round");
        }
        checkMiners(round.miners());
        return round;
    }

    private static String column(JsonProcessingException e) {
        return e.getLocation() == null || e.getLocation().getColumnNr() <= 0 ? ""
                : " (column " + e.getLocation().getColumnNr() + ")";
    }

    /** Values no validator writes; the replay could not score them, or would score another round than the one run. */
    private static void checkMiners(List<RoundRecord.MinerRecord> miners) throws DamageException {
        Map<Integer, Integer> asked = new HashMap<>();
        for (int k = 0; k < miners.size(); k++) {
            RoundRecord.MinerRecord miner = miners.get(k);
            String at = "miners[" + k + "]";
            if (miner.uid() < 0 || miner.uid() > 65_535) {
                throw new DamageException(at + ".uid " + miner.uid() + " is not a uid (0 to 65535)");
            }
            Integer earlier = asked.putIfAbsent(miner.uid(), k);
            if (earlier != null) {
                throw new DamageException("uid " + miner.uid() + " is in the round twice, miners[" + earlier + "] and "
                        + at + ": a validator asks each miner once");
            }
            if (miner.hotkey() == null) {
                throw new DamageException(at + " (uid " + miner.uid() + ") has no hotkey");
            }
            if (miner.latencyMs() < 0 || miner.latencyMs() > MAX_LATENCY_MS) {
                throw new DamageException(at + ".latencyMs " + miner.latencyMs() + " is not a latency (0 to "
                        + MAX_LATENCY_MS + " ms)");
            }
            if (!isShare(miner.trust()) || !isShare(miner.reward())) {
                throw new DamageException(at + " (uid " + miner.uid() + ") has trust " + miner.trust() + " and reward "
                        + miner.reward() + "; both are shares, 0 to 1");
            }
            if (miner.answer() == null && !FAILURES.contains(String.valueOf(miner.failure()))) {
                throw new DamageException(at + " (uid " + miner.uid() + ") has no answer and " + (miner.failure() == null
                        ? "no failure" : "the failure '" + miner.failure() + "', which this version does not know (a"
                        + " newer validator's? replay with that version)") + "; the failure is one of " + FAILURES);
            }
        }
    }

    private static boolean isShare(double value) {
        return value >= -SHARE_SLACK && value <= 1 + SHARE_SLACK;
    }

    /** The rounds of a log and the damaged lines skipped. */
    public record Read(List<RoundRecord> rounds, List<DamagedLine> damaged) {
        public int skippedLines() {
            return damaged.size();
        }
    }

    /**
     * A line of a log that holds no round.
     *
     * @param number  its number in the file, from 1
     * @param problem what is wrong with it
     */
    public record DamagedLine(int number, String problem) {
    }

    /** Why a line holds no round a validator could have written. */
    private static final class DamageException extends Exception {
        DamageException(String problem) {
            super(problem, null, false, false);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        closed = true;
        channel.close();
    }

    private void open() throws IOException {
        channel = opener.open(file);
        size = channel.size();
    }

    /**
     * Shifts the rotated logs and starts a new {@code rounds.jsonl}. Whatever fails, the log is opened again before
     * the failure is thrown, so the next append writes to {@code rounds.jsonl} (the old one or a new one) instead of
     * rotating again and deleting another rotated log.
     */
    private void rotate() throws IOException {
        channel.close();
        IOException shiftFailed = null;
        try {
            for (int i = keep; i >= 1; i--) {
                Path older = rotated(i);
                if (i == keep) {
                    Files.deleteIfExists(older);
                } else if (Files.exists(older)) {
                    Files.move(older, rotated(i + 1));
                }
            }
            if (Files.exists(file)) {
                Files.move(file, rotated(1));
            }
        } catch (IOException e) {
            shiftFailed = e;
        }
        try {
            open();
        } catch (IOException notReopened) {
            if (shiftFailed != null) {
                notReopened.addSuppressed(shiftFailed);
            }
            throw notReopened;
        }
        if (shiftFailed != null) {
            throw shiftFailed;
        }
    }

    private Path rotated(int index) {
        return file.resolveSibling(FILE_NAME + "." + index);
    }

    /** A crash mid-write leaves a last line without its newline; cut it so the next line starts clean. */
    private void repairTornTail() throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        try (FileChannel log = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long end = log.size();
            if (end == 0 || read(log, end - 1, 1).get(0) == '\n') {
                return;
            }
            log.truncate(lastNewlineBefore(log, end) + 1);
            log.force(true);
        }
    }

    /**
     * The number of the newest synthetic round in the log and its rotated files, 0 when they hold none. A validator
     * that lost its state file numbers its rounds on from it, so that the log's numbers do not start again at 1. Read
     * from the end, a line at a time, as far as that round (organic rounds, numbered apart, and damaged lines are
     * passed over).
     */
    public synchronized long lastSyntheticRound() throws IOException {
        for (int i = 0; i <= keep; i++) {
            Path part = i == 0 ? file : rotated(i);
            if (Files.isRegularFile(part)) {
                OptionalLong last = lastSyntheticRound(part);
                if (last.isPresent()) {
                    return last.getAsLong();
                }
            }
        }
        return 0;
    }

    private static OptionalLong lastSyntheticRound(Path part) throws IOException {
        try (FileChannel log = FileChannel.open(part, StandardOpenOption.READ)) {
            long lineEnd = log.size();
            while (true) {
                long newline = lastNewlineBefore(log, lineEnd);
                OptionalLong round = syntheticRound(log, newline + 1, lineEnd);
                if (round.isPresent() || newline < 0) {
                    return round;
                }
                lineEnd = newline;
            }
        }
    }

    /** Where the last newline before {@code end} is, -1 when there is none; read back a block at a time. */
    private static long lastNewlineBefore(FileChannel log, long end) throws IOException {
        for (long blockEnd = end; blockEnd > 0; blockEnd -= TAIL_BLOCK) {
            long start = Math.max(0, blockEnd - TAIL_BLOCK);
            ByteBuffer block = read(log, start, (int) (blockEnd - start));
            for (int i = block.limit() - 1; i >= 0; i--) {
                if (block.get(i) == '\n') {
                    return start + i;
                }
            }
        }
        return -1;
    }

    /** The number of the synthetic round on the line from {@code start} to {@code end}, if it holds one. */
    private static OptionalLong syntheticRound(FileChannel log, long start, long end) throws IOException {
        if (end == start || end - start > MAX_LINE_READ) {
            return OptionalLong.empty();
        }
        String line = StandardCharsets.UTF_8.decode(read(log, start, (int) (end - start))).toString();
        try {
            RoundRecord round = parse(line);
            return round.organic() ? OptionalLong.empty() : OptionalLong.of(round.round());
        } catch (DamageException notARound) {
            return OptionalLong.empty();
        }
    }

    private static ByteBuffer read(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new EOFException("the round log ended while its tail was read");
            }
        }
        return buffer.flip();
    }

    /**
     * All log files of a folder, oldest first, for replay: {@code rounds.jsonl} and its rotations {@code rounds.jsonl.N};
     * an operator's {@code rounds.jsonl.bak} or an editor's {@code rounds.jsonl~} is not one of them.
     */
    public static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(p -> LOG_FILE.matcher(p.getFileName().toString()).matches())
                    .sorted(Comparator.comparingInt(RoundLog::age).reversed())
                    .toList();
        }
    }

    private static int age(Path path) {
        String name = path.getFileName().toString();
        return name.equals(FILE_NAME) ? 0 : Integer.parseInt(name.substring(FILE_NAME.length() + 1));
    }
}
