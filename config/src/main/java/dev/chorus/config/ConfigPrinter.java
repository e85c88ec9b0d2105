package dev.chorus.config;

import java.lang.reflect.RecordComponent;
import java.time.Duration;

/**
 * Renders settings as the YAML an operator would write. No setting holds a secret: keys and tokens stay in the
 * environment variables or keystore files the settings name, so printing them all gives nothing away.
 */
public final class ConfigPrinter {

    private ConfigPrinter() {
    }

    public static String yaml(Record settings) {
        StringBuilder out = new StringBuilder();
        write(settings, 0, out);
        return out.toString();
    }

    private static void write(Record record, int depth, StringBuilder out) {
        for (RecordComponent component : record.getClass().getRecordComponents()) {
            Object value;
            try {
                value = component.getAccessor().invoke(record);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read " + component.getName(), e);
            }
            out.append("  ".repeat(depth)).append(ConfigLoader.key(component.getName())).append(':');
            if (value instanceof Record nested) {
                out.append('\n');
                write(nested, depth + 1, out);
            } else {
                out.append(' ').append(scalar(value)).append('\n');
            }
        }
    }

    private static String scalar(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Duration duration) {
            return Durations.format(duration);
        }
        if (value instanceof String text) {
            return text.isEmpty() || text.matches(".*[:#{}\\[\\],&*?|<>=!%@`'\"].*") || text.isBlank()
                    ? '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"' : text;
        }
        return value.toString();
    }
}
