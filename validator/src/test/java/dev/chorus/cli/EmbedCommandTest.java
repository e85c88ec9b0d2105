package dev.chorus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class EmbedCommandTest {

    @Test
    void aFolderAsInputIsAUsageErrorAsForYuma(@TempDir Path folder) {
        StringWriter err = new StringWriter();
        CommandLine chorus = ChorusCommand.commandLine().setErr(new PrintWriter(err)).setOut(new PrintWriter(new StringWriter()));
        assertThat(chorus.execute("embed", "--in", folder.toString())).as(err.toString()).isEqualTo(2);
        assertThat(err.toString()).contains("--in " + folder + " is a folder; give the file of texts");
    }

    @Test
    void aRefusedSettingNamesTheOptionAndQuotesTheValueAsGiven() {
        StringWriter err = new StringWriter();
        CommandLine chorus = ChorusCommand.commandLine().setErr(new PrintWriter(err)).setOut(new PrintWriter(new StringWriter()));
        assertThat(chorus.execute("embed", "--model", "my_model", "--max-windows", "0")).as(err.toString()).isEqualTo(2);
        assertThat(err.toString()).contains("--model").contains("my_model").contains("--max-windows")
                .doesNotContain("my-model").doesNotContain("max_windows");
    }
}
