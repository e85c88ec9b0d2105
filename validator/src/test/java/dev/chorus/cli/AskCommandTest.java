package dev.chorus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Exit codes of {@code chorus ask}: 2 for what the user typed, 1 for a validator that is down or failing. */
class AskCommandTest {

    /** "exit-code stderr" of {@code chorus ask ARGS}, with an API key in the environment. */
    private static String ask(String... args) {
        CommandLine chorus = ChorusCommand.commandLine();
        chorus.getCommandSpec().removeSubcommand("ask");
        chorus.addSubcommand("ask", new AskCommand(Map.of("CHORUS_API_KEY", "test-key")));
        StringWriter err = new StringWriter();
        chorus.setErr(new PrintWriter(err)).setOut(new PrintWriter(new StringWriter()));
        String[] line = new String[args.length + 1];
        line[0] = "ask";
        System.arraycopy(args, 0, line, 1, args.length);
        return chorus.execute(line) + " " + err;
    }

    @Test
    void aUrlWithoutSchemeIsAUsageError() {
        assertThat(ask("hi", "--url", "localhost:9200")).startsWith("2 ")
                .contains("--url 'localhost:9200' is not an http:// or https:// URL", "e.g. http://127.0.0.1:9200");
    }

    @Test
    void aValidatorThatIsDownIsARuntimeFailure() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        assertThat(ask("hi", "--url", "http://127.0.0.1:" + port)).startsWith("1 ")
                .contains("chorus ask failed: nothing answers at http://127.0.0.1:" + port)
                .doesNotContain("failed: chorus ask:");
    }

    @Test
    void aFailingValidatorIsARuntimeFailureNamedOnce() throws Exception {
        HttpServer validator = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        validator.createContext("/", exchange -> {
            byte[] body = "{\"error\":{\"message\":\"no miners\"}}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(503, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        validator.start();
        try {
            assertThat(ask("hi", "--url", "http://127.0.0.1:" + validator.getAddress().getPort())).startsWith("1 ")
                    .contains("chorus ask failed: the validator refused (HTTP 503): no miners");
        } finally {
            validator.stop(0);
        }
    }
}
