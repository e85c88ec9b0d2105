package dev.chorus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.chorus.config.ConfigLoader;
import dev.chorus.config.ConfigPrinter;
import dev.chorus.config.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The example settings files are what operators copy and what the READMEs call the list of every setting: each
 * must name every setting that has a default, with that default, so copying one changes nothing by itself.
 */
final class ExampleConfig {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final String CONTRACT = "0x5FbDB2315678afecb367f032d93F642f64180aa3";

    private ExampleConfig() {
    }

    static <T extends Record & Settings> void assertListsEveryDefault(Path example, T defaults) throws IOException {
        Map<String, String> contract = Map.of("chain.contract_address", CONTRACT);
        T fromExample = ConfigLoader.load(defaults, Optional.of(example), Map.of(), contract);
        T expected = ConfigLoader.load(defaults, Optional.empty(), Map.of(), contract);
        assertThat(fromExample).as("%s loads to the defaults", example).isEqualTo(expected);

        Set<String> withDefaults = new TreeSet<>();
        keys(YAML.readTree(ConfigPrinter.yaml(defaults)), "", withDefaults, false);
        Set<String> listed = new TreeSet<>();
        keys(YAML.readTree(Files.readString(example)), "", listed, true);
        assertThat(listed).as("settings %s names", example).containsAll(withDefaults);
    }

    /** Dotted paths of the leaves; a leaf without a value (an optional setting) counts only if {@code nulls}. */
    private static void keys(JsonNode node, String prefix, Set<String> out, boolean nulls) {
        node.fields().forEachRemaining(field -> {
            String path = prefix + field.getKey();
            if (field.getValue().isObject()) {
                keys(field.getValue(), path + ".", out, nulls);
            } else if (nulls || !field.getValue().isNull()) {
                out.add(path);
            }
        });
    }
}
