package dev.chorus.cli.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chorus.cli.UserInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChainEndpointTest {

    private static final ChainEndpoint ENDPOINT = new ChainEndpoint("http://127.0.0.1:8545", "0x" + "1".repeat(40), 31337, 1);

    @Test
    void roundTrips(@TempDir Path dir) {
        ENDPOINT.write(dir.resolve("local-chain.json"));
        assertThat(ChainEndpoint.read(dir.resolve("local-chain.json"))).isEqualTo(ENDPOINT);
    }

    @Test
    void theProcessesOfTheChainUpThatWroteItRoundTripAndAreOptional(@TempDir Path dir) throws Exception {
        ChainEndpoint owned = new ChainEndpoint(ENDPOINT.rpcUrl(), ENDPOINT.contract(), 31337, 1, 100L, 200L);
        owned.write(dir.resolve("owned.json"));
        assertThat(ChainEndpoint.read(dir.resolve("owned.json"))).isEqualTo(owned);
        assertThat(Files.readString(dir.resolve("owned.json"))).contains("\"chainUpPid\" : 100", "\"anvilPid\" : 200");

        ENDPOINT.write(dir.resolve("flags.json"));
        assertThat(Files.readString(dir.resolve("flags.json"))).doesNotContain("Pid");
        Path older = Files.writeString(dir.resolve("older.json"), "{\"rpcUrl\":\"http://127.0.0.1:8545\",\"contract\":\""
                + ENDPOINT.contract() + "\",\"chainId\":31337,\"netuid\":1}");
        assertThat(ChainEndpoint.read(older)).isEqualTo(ENDPOINT);
    }

    @Test
    void aFailedWriteLeavesNoTemporaryFileBehind(@TempDir Path dir) throws Exception {
        Path folder = Files.createDirectory(dir.resolve("taken"));
        Files.writeString(folder.resolve("inside"), "");
        assertThatThrownBy(() -> ENDPOINT.write(folder)).isInstanceOf(UserInputException.class)
                .hasMessageContaining("--chain-file");
        try (var left = Files.list(dir)) {
            assertThat(left).containsExactly(folder);
        }
    }

    @Test
    void aBrokenFileIsNamedWithLineAndColumnNotParserInternals(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("local-chain.json"), "{\n  \"rpcUrl\": oops\n}");
        assertThatThrownBy(() -> ChainEndpoint.read(file)).isInstanceOf(UserInputException.class)
                .hasMessageContaining("is not valid: Unrecognized token 'oops'").hasMessageContaining("(line 2, column")
                .hasMessageContaining("chorus chain up")
                .hasMessageNotContaining("Source").hasMessageNotContaining("REDACTED");
    }

    @Test
    void aMissingFileAtTheRelativeDefaultSaysItIsReadFromTheWorkingDirectory(@TempDir Path dir) {
        assertThat(ChainEndpoint.DEFAULT_FILE).as("the default is relative").matches(path -> !path.isAbsolute());
        Path relative = Path.of("no-such-folder-" + System.nanoTime(), "local-chain.json");
        assertThatThrownBy(() -> ChainEndpoint.read(relative)).isInstanceOf(UserInputException.class)
                .hasMessageContaining("no chain endpoint file at " + relative.toAbsolutePath())
                .hasMessageContaining("relative to the working directory").hasMessageContaining("--chain-file");
        Path absolute = dir.resolve("local-chain.json");
        assertThatThrownBy(() -> ChainEndpoint.read(absolute)).isInstanceOf(UserInputException.class)
                .hasMessageContaining("no chain endpoint file at " + absolute)
                .hasMessageNotContaining("working directory").hasMessageContaining("chorus chain up");
    }
}
