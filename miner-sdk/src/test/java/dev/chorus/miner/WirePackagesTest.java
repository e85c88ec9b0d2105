package dev.chorus.miner;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A miner that serves a model of its own may exclude the {@code scoring} module (ONNX Runtime and the embedding model,
 * most of the SDK's weight), as miner-sdk/README shows; that holds only while the packages a miner runs name nothing
 * of it.
 */
class WirePackagesTest {

    private static final Path SOURCES = Path.of("src/main/java/dev/chorus/miner");

    @Test
    void theWirePackagesNameNothingOfScoring() {
        List<Path> wire = Stream.of("protocol", "server", "client", "corpus").map(SOURCES::resolve).toList();
        List<String> naming = wire.stream().flatMap(WirePackagesTest::javaFiles)
                .filter(file -> read(file).contains("dev.chorus.scoring")).map(Path::toString).toList();
        assertThat(wire).allSatisfy(dir -> assertThat(javaFiles(dir)).as("sources of " + dir).isNotEmpty());
        assertThat(naming).as("wire sources that name the scoring module").isEmpty();
    }

    @Test
    void theBridgeToScoringDoesNameIt() {
        assertThat(read(SOURCES.resolve("scored/RoundAnswers.java"))).as("the scan reads what it should")
                .contains("dev.chorus.scoring");
    }

    private static Stream<Path> javaFiles(Path dir) {
        try {
            return Files.walk(dir).filter(file -> file.toString().endsWith(".java")).toList().stream();
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + dir.toAbsolutePath(), e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file.toAbsolutePath(), e);
        }
    }
}
