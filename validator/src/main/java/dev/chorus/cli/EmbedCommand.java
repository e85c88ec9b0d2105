package dev.chorus.cli;

import dev.chorus.config.EmbeddingSettings;
import dev.chorus.scoring.embedding.CosineSimilarity;
import dev.chorus.scoring.embedding.EmbeddingModelException;
import dev.chorus.scoring.embedding.EmbeddingOptions;
import dev.chorus.scoring.embedding.OnnxEmbeddingModel;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** {@code chorus embed}: sentence embeddings, or cosine similarities of pairs, for texts given one per line. */
@Command(name = "embed", mixinStandardHelpOptions = true,
        description = {
                "Embed texts with the validator's model (all-MiniLM-L6-v2), one text per input line.",
                "Prints one JSON array of floats per line, or with --pairs one cosine similarity per line.",
                "Inside a line, \\n stands for a newline, \\t for a tab and \\\\ for a backslash."})
final class EmbedCommand implements Callable<Integer> {

    /** Lines embedded per model call: large enough to batch well, small enough to stream long inputs. */
    private static final int LINES_PER_CALL = 512;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--in", paramLabel = "FILE", description = "Read texts from FILE instead of standard input.")
    Path in;

    @Option(names = "--pairs", description = "Lines are text1<TAB>text2; print their cosine similarity.")
    boolean pairs;

    @Option(names = "--model", paramLabel = "fp32|int8", description = "Model build (default: ${DEFAULT-VALUE}).")
    String model = EmbeddingSettings.defaults().model();

    @Option(names = "--max-tokens", paramLabel = "N",
            description = "Tokens per window, [CLS] and [SEP] included (default: ${DEFAULT-VALUE}).")
    int maxTokens = EmbeddingSettings.defaults().maxTokens();

    @Option(names = "--long-text", paramLabel = "chunk|truncate",
            description = "Longer texts: chunk = token-weighted average of the windows (up to --max-windows), "
                    + "truncate = first window only, as sentence-transformers (default: ${DEFAULT-VALUE}).")
    String longText = EmbeddingSettings.defaults().longText();

    @Option(names = "--max-windows", paramLabel = "N",
            description = "In chunk mode, windows embedded per text at most; the rest of a longer text is not read "
                    + "(default: ${DEFAULT-VALUE}).")
    int maxWindows = EmbeddingSettings.defaults().maxWindows();

    @Option(names = "--batch-size", paramLabel = "N", description = "Windows per inference (default: ${DEFAULT-VALUE}).")
    int batchSize = EmbeddingSettings.defaults().batchSize();

    /** Standard input, replaceable so that tests can drive the command in-process. */
    InputStream stdin = System.in;

    @Override
    public Integer call() throws IOException {
        EmbeddingOptions options = options();
        PrintWriter out = spec.commandLine().getOut();
        try (Utf8Lines reader = open();
             OnnxEmbeddingModel embedder = OnnxEmbeddingModel.open(options)) {
            List<String> lines = new ArrayList<>(LINES_PER_CALL);
            int lineNumber = 0;
            for (String line = reader.next(); line != null; line = reader.next()) {
                lines.add(line);
                lineNumber++;
                if (lines.size() == LINES_PER_CALL) {
                    write(embedder, lines, lineNumber - lines.size() + 1, out);
                    stopIfOutputLost(out, lineNumber);
                    lines.clear();
                }
            }
            write(embedder, lines, lineNumber - lines.size() + 1, out);
            stopIfOutputLost(out, lineNumber);
        } catch (EmbeddingModelException e) {
            throw new UserInputException("chorus embed: " + e.getMessage(), e);
        }
        return 0;
    }

    /**
     * Stops at the first output that could not be written: a reader gone ({@code | head}) or a full disk would
     * otherwise leave the whole input to be embedded for nothing, and exit 0 over a file cut short. picocli's
     * standard output wraps {@link System#out}, a PrintStream that keeps its write errors to itself.
     */
    private static void stopIfOutputLost(PrintWriter out, int lineNumber) {
        if (out.checkError() || System.out.checkError()) {
            String problem = ChorusCommand.OUTPUT_LOST + "; stopped after input line " + lineNumber;
            throw new UncheckedIOException(problem, new IOException(problem));
        }
    }

    private EmbeddingOptions options() {
        EmbeddingSettings defaults = EmbeddingSettings.defaults();
        EmbeddingSettings settings = new EmbeddingSettings(model, defaults.provider(), defaults.intraOpThreads(),
                batchSize, defaults.batchTokens(), maxTokens, longText, maxWindows, defaults.cudaDevice(),
                defaults.parallelBatches());
        List<String> problems = new ArrayList<>();
        settings.validate("--", problems);
        if (!problems.isEmpty()) {
            throw new UserInputException("chorus embed: "
                    + problems.stream().map(EmbedCommand::asOption).collect(Collectors.joining("; ")));
        }
        return EmbeddingOptions.from(settings);
    }

    /** A settings problem ("--max_tokens: ...") in the option's spelling, the value the user gave left as it was. */
    private static String asOption(String problem) {
        int key = problem.indexOf(':');
        return key < 0 ? problem : problem.substring(0, key).replace('_', '-') + problem.substring(key);
    }

    private Utf8Lines open() {
        if (in == null) {
            return new Utf8Lines(stdin, "<stdin>");
        }
        if (Files.isDirectory(in)) {
            // Linux opens a folder for reading and fails only on the first read, as a runtime error.
            throw new UserInputException("chorus embed: --in " + in + " is a folder; give the file of texts, one per line");
        }
        try {
            return new Utf8Lines(Files.newInputStream(in), in.toString());
        } catch (NoSuchFileException e) {
            throw new UserInputException("chorus embed: input file " + in + " does not exist");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + in, e);
        }
    }

    private void write(OnnxEmbeddingModel embedder, List<String> lines, int firstLine, PrintWriter out) {
        if (lines.isEmpty()) {
            return;
        }
        if (!pairs) {
            for (float[] vector : embedder.embed(lines.stream().map(EmbedCommand::unescape).toList())) {
                out.println(json(vector));
            }
            return;
        }
        List<String> texts = new ArrayList<>(lines.size() * 2);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int tab = line.indexOf('\t');
            if (tab < 0 || line.indexOf('\t', tab + 1) >= 0) {
                throw new UserInputException("chorus embed --pairs: line " + (firstLine + i) + " must hold exactly "
                        + "one TAB between the two texts (write a tab inside a text as \\t)");
            }
            texts.add(unescape(line.substring(0, tab)));
            texts.add(unescape(line.substring(tab + 1)));
        }
        List<float[]> vectors = embedder.embed(texts);
        for (int i = 0; i < vectors.size(); i += 2) {
            out.println(CosineSimilarity.between(vectors.get(i), vectors.get(i + 1)));
        }
    }

    /** Decodes {@code \n}, {@code \t} and {@code \\}; any other backslash is kept as written. */
    static String unescape(String line) {
        if (line.indexOf('\\') < 0) {
            return line;
        }
        StringBuilder text = new StringBuilder(line.length());
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            char next = i + 1 < line.length() ? line.charAt(i + 1) : 0;
            if (c == '\\' && (next == 'n' || next == 't' || next == '\\')) {
                text.append(next == 'n' ? '\n' : next == 't' ? '\t' : '\\');
                i++;
            } else {
                text.append(c);
            }
        }
        return text.toString();
    }

    private static String json(float[] vector) {
        StringBuilder text = new StringBuilder(vector.length * 12).append('[');
        for (int d = 0; d < vector.length; d++) {
            if (d > 0) {
                text.append(',');
            }
            text.append(vector[d]);
        }
        return text.append(']').toString();
    }
}
