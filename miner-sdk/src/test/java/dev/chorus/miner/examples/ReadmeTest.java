package dev.chorus.miner.examples;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ReadmeTest {

    @Test
    void readmeShowsTheCompiledExampleMinerVerbatim() throws IOException {
        String source = Files.readString(Path.of("src/test/java/dev/chorus/miner/examples/EchoMiner.java"));
        String snippet = source.substring(source.indexOf("// README:BEGIN\n") + "// README:BEGIN\n".length(),
                source.indexOf("// README:END"));
        assertThat(Files.readString(Path.of("README.md"))).contains("```java\n" + snippet + "```");
        assertThat(snippet.lines().filter(line -> !line.startsWith("import ")).count()).isLessThanOrEqualTo(20);
        assertThat(snippet.indexOf(".start().await()")).as("the miner listens before it registers, so a port already"
                + " taken costs no registration").isLessThan(snippet.indexOf("chain.register("));
    }
}
