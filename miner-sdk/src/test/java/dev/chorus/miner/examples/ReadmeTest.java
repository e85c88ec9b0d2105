package dev.chorus.miner.examples;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ReadmeTest {

    @Test
    void readmeShowsTheCompiledExampleMinerVerbatim() throws IOException {
        String source = Files.readString(Path.of("src/test/java/dev/chorus/miner/examples/ReadmeMiner.java"));
        String snippet = source.substring(source.indexOf("// README:BEGIN\n") + "// README:BEGIN\n".length(),
                source.indexOf("    // README:END")).replaceAll("(?m)^    ", "");
        assertThat(Files.readString(Path.of("README.md"))).contains(snippet);
        assertThat(snippet.lines().count()).isLessThanOrEqualTo(16);
    }
}
