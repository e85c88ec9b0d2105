package dev.chorus.miner.examples;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ReadmeTest {

    @Test
    void readmeShowsTheCompiledExampleMinerVerbatim() throws IOException {
        String snippet = shownInReadme("EchoMiner.java");
        assertThat(snippet.lines().filter(line -> !line.startsWith("import ")).count()).isLessThanOrEqualTo(20);
        assertThat(snippet).contains(".start().await()", ".joinSubnet(");
        assertThat(snippet.indexOf(".start().await()")).as("the miner listens before it joins the subnet, so a port already"
                + " taken costs no registration").isLessThan(snippet.indexOf(".joinSubnet("));
    }

    @Test
    void readmeShowsTheCompiledSignedQueryByHandVerbatim() throws IOException {
        shownInReadme("AskMiner.java");
    }

    @Test
    void readmeShowsTheCompiledMinerTestVerbatim() throws IOException {
        shownInReadme("MyMinerIT.java");
    }

    /** The part of an example between its README markers, after checking that the README shows it as it is. */
    private static String shownInReadme(String example) throws IOException {
        String source = Files.readString(Path.of("src/test/java/dev/chorus/miner/examples", example));
        String snippet = source.substring(source.indexOf("// README:BEGIN\n") + "// README:BEGIN\n".length(),
                source.indexOf("// README:END"));
        assertThat(Files.readString(Path.of("README.md"))).contains("```java\n" + snippet + "```");
        return snippet;
    }
}
