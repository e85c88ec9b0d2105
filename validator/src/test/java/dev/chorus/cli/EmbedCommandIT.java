package dev.chorus.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class EmbedCommandIT {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String stdin, String... args) {
        return run(stdin.getBytes(StandardCharsets.UTF_8), args);
    }

    private int run(byte[] stdin, String... args) {
        EmbedCommand command = new EmbedCommand();
        command.stdin = new ByteArrayInputStream(stdin);
        CommandLine cli = ChorusCommand.commandLine();
        cli.getCommandSpec().removeSubcommand("embed");
        cli.addSubcommand("embed", command);
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        String[] all = new String[args.length + 1];
        all[0] = "embed";
        System.arraycopy(args, 0, all, 1, args.length);
        return cli.execute(all);
    }

    @Test
    void printsOneJsonArrayPerLineMatchingSentenceTransformers() throws IOException {
        int exit = run("hello world\nThis is an example sentence\n\n");

        assertThat(exit).isZero();
        List<String> lines = out.toString().lines().toList();
        assertThat(lines).hasSize(3);
        float[] hello = new ObjectMapper().readValue(lines.get(0), float[].class);
        assertThat(hello).hasSize(384);
        assertThat(Arrays.copyOf(hello, 5)).containsExactly(
                new float[]{-0.0344773f, 0.0310232f, 0.0067349f, 0.0261089f, -0.0393620f}, within(1e-5f));
    }

    @Test
    void pairsPrintCosinesFromAFile(@TempDir Path dir) throws IOException {
        Path input = dir.resolve("pairs.tsv");
        Files.writeString(input, "hello world\thello world\n"
                + "How do I bake bread?\tWhat is a simple bread recipe?\n"
                + "How do I bake bread?\tThe stock market fell on Tuesday.\n");

        int exit = run("", "--pairs", "--in", input.toString(), "--model", "int8", "--batch-size", "2");

        assertThat(exit).isZero();
        double[] cosines = out.toString().lines().mapToDouble(Double::parseDouble).toArray();
        assertThat(cosines).hasSize(3);
        assertThat(cosines[0]).isCloseTo(1.0, within(1e-6));
        assertThat(cosines[1]).isGreaterThan(cosines[2] + 0.3);
    }

    @Test
    void pairLineWithoutTabIsAUsageError() {
        int exit = run("first\tsecond\nno tab here\n", "--pairs");

        assertThat(exit).isEqualTo(ChorusCommand.EXIT_USAGE);
        assertThat(err.toString()).contains("line 2").contains("TAB");
    }

    @Test
    void badOptionsAreUsageErrorsNamingTheOption() {
        assertThat(run("x\n", "--model", "fp16", "--max-tokens", "9000")).isEqualTo(ChorusCommand.EXIT_USAGE);
        assertThat(err.toString()).contains("--model").contains("--max-tokens");
    }

    @Test
    void maxWindowsBoundsHowMuchOfALongTextIsRead() {
        String longText = "the validator scores every part of a long answer. ".repeat(120);
        assertThat(run(longText + "\n", "--max-windows", "1")).as(err.toString()).isZero();
        String firstWindowOnly = out.toString();
        out.getBuffer().setLength(0);
        assertThat(run(longText + "\n", "--long-text", "truncate")).as(err.toString()).isZero();
        String truncated = out.toString();
        out.getBuffer().setLength(0);
        assertThat(run(longText + "\n")).as(err.toString()).isZero();

        assertThat(firstWindowOnly).isEqualTo(truncated);
        assertThat(out.toString()).isNotEqualTo(truncated);
    }

    @Test
    void missingInputFileIsAUsageError() {
        assertThat(run("", "--in", "/no/such/file.txt")).isEqualTo(ChorusCommand.EXIT_USAGE);
        assertThat(err.toString()).contains("/no/such/file.txt");
    }

    @Test
    void aLineThatIsNotUtf8IsAUsageErrorNamingItOnStdinAndInAFile(@TempDir Path dir) throws IOException {
        byte[] latin1 = "hello world\ncaf\u00e9 au lait\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(run(latin1)).as(err.toString()).isEqualTo(ChorusCommand.EXIT_USAGE);
        assertThat(err.toString()).contains("chorus embed: line 2 of <stdin> is not UTF-8; convert it, e.g. iconv -f latin1 -t utf-8");
        assertThat(out.toString()).as("nothing is embedded in place of the line").isEmpty();

        Path input = dir.resolve("texts.txt");
        Files.write(input, latin1);
        assertThat(run("", "--in", input.toString())).isEqualTo(ChorusCommand.EXIT_USAGE);
        assertThat(err.toString()).contains("chorus embed: line 2 of " + input + " is not UTF-8");
    }

    @Test
    void escapesInsideALineAreDecoded() {
        assertThat(EmbedCommand.unescape("a\\nb\\tc\\\\n\\x")).isEqualTo("a\nb\tc\\n\\x");
    }

    @Test
    void outputThatCannotBeWrittenStopsWithAnErrorInsteadOfExitingZero(@TempDir Path dir) throws Exception {
        File full = new File("/dev/full");
        assumeTrue(full.exists(), "needs Linux's /dev/full");
        Path input = dir.resolve("texts.txt");
        Files.writeString(input, "hello world\nThis is an example sentence\n");

        Process embed = launch(input).redirectOutput(full).start();

        assertThat(embed.waitFor(120, TimeUnit.SECONDS)).as("exits").isTrue();
        String stderr = new String(embed.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(embed.exitValue()).as(stderr).isEqualTo(1);
        assertThat(stderr).contains("chorus embed failed: standard output could not be written (its reader closed the"
                + " pipe, or the disk is full); stopped after input line 2");
    }

    @Test
    void aReaderThatGoesAwayStopsTheEmbeddingAtTheNextBatch(@TempDir Path dir) throws Exception {
        Path input = dir.resolve("texts.txt");
        StringBuilder texts = new StringBuilder();
        for (int i = 0; i < 5_000; i++) {
            texts.append("line ").append(i).append(" about rivers, mills and the price of bread\n");
        }
        Files.writeString(input, texts);

        Process embed = launch(input).start();
        try (BufferedReader firstLines = new BufferedReader(new InputStreamReader(embed.getInputStream(),
                StandardCharsets.UTF_8))) {
            assertThat(firstLines.readLine()).startsWith("[");
        }

        assertThat(embed.waitFor(120, TimeUnit.SECONDS)).as("exits").isTrue();
        String stderr = new String(embed.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(embed.exitValue()).as(stderr).isEqualTo(1);
        assertThat(stderr).as("stopped after the batch it was writing, not at the end of the input")
                .contains("stopped after input line 512");
    }

    /** The real command in a JVM of its own, whose standard output is a real file descriptor. */
    private static ProcessBuilder launch(Path input) {
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "dev.chorus.cli.ChorusCommand", "embed", "--in", input.toString())
                .redirectError(ProcessBuilder.Redirect.PIPE);
    }
}
