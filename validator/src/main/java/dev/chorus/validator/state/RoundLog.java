package dev.chorus.validator.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Appends one JSON line per round to {@code rounds.jsonl} and rotates it by size to
 * {@code rounds.jsonl.1}, {@code .2}, ... Each line is written and flushed whole, so a killed process loses at
 * most the line being written, which {@link #read} detects and skips. It is not fsynced: it is a record for
 * research, and a power loss may take the last lines the kernel had not yet written, while the state file,
 * which is fsynced, keeps the scores. Only its owner may read it ({@link OwnerOnly}): it holds consumers' prompts
 * and the reference answers of a private question set.
 */
public final class RoundLog implements AutoCloseable {

    public static final String FILE_NAME = "rounds.jsonl";
    private static final Pattern LOG_FILE = Pattern.compile(Pattern.quote(FILE_NAME) + "(\\.[0-9]{1,9})?");

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final Path file;
    private final long maxBytes;
    private final int keep;
    private OutputStream out;
    private long size;

    public RoundLog(Path dir, long maxBytes, int keep) throws IOException {
        Files.createDirectories(dir);
        this.file = dir.resolve(FILE_NAME);
        this.maxBytes = maxBytes;
        this.keep = keep;
        repairTornTail();
        // Logs written before this was owner-only, under a 022 umask, would stay readable by every local user.
        for (int i = 0; i <= keep; i++) {
            Path existing = i == 0 ? file : rotated(i);
            if (Files.exists(existing)) {
                OwnerOnly.restrict(existing);
            }
        }
        open();
    }

    public Path file() {
        return file;
    }

    public synchronized void append(RoundRecord record) throws IOException {
        byte[] line = (JSON.writeValueAsString(record) + "\n").getBytes(StandardCharsets.UTF_8);
        if (size > 0 && size + line.length > maxBytes) {
            rotate();
        }
        out.write(line);
        out.flush();
        size += line.length;
    }

    /** Every complete round of a log file, oldest first; a line that does not parse is skipped and its number kept. */
    public static Read read(Path file) throws IOException {
        List<RoundRecord> rounds = new ArrayList<>();
        List<Integer> damaged = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int number = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    rounds.add(JSON.readValue(line, RoundRecord.class));
                } catch (JsonProcessingException e) {
                    damaged.add(number);
                }
            }
        }
        return new Read(List.copyOf(rounds), List.copyOf(damaged));
    }

    /** The rounds of a log and the numbers (from 1) of the damaged lines skipped. */
    public record Read(List<RoundRecord> rounds, List<Integer> damagedLines) {
        public int skippedLines() {
            return damagedLines.size();
        }
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }

    private void open() throws IOException {
        out = Channels.newOutputStream(FileChannel.open(file,
                Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND),
                OwnerOnly.creating(file.getParent())));
        size = Files.size(file);
    }

    private void rotate() throws IOException {
        out.close();
        for (int i = keep; i >= 1; i--) {
            Path older = rotated(i);
            if (i == keep) {
                Files.deleteIfExists(older);
            } else if (Files.exists(older)) {
                Files.move(older, rotated(i + 1));
            }
        }
        Files.move(file, rotated(1));
        open();
    }

    private Path rotated(int index) {
        return file.resolveSibling(FILE_NAME + "." + index);
    }

    /** A crash mid-write leaves a last line without its newline; cut it so the next line starts clean. */
    private void repairTornTail() throws IOException {
        if (!Files.exists(file) || Files.size(file) == 0) {
            return;
        }
        byte[] content = Files.readAllBytes(file);
        int end = content.length;
        if (content[end - 1] == '\n') {
            return;
        }
        int lastNewline = end - 1;
        while (lastNewline >= 0 && content[lastNewline] != '\n') {
            lastNewline--;
        }
        try (var channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(lastNewline + 1L);
            channel.force(true);
        }
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
