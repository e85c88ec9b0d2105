package dev.chorus.config;

import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Renders settings as the YAML an operator would write. No setting holds a secret: keys and tokens stay in the
 * environment variables or keystore files the settings name, so printing them all gives nothing away.
 */
public final class ConfigPrinter {

    /**
     * Text that every YAML reader takes as a string when written bare; anything else is quoted. A leading digit is
     * left out because other readers (PyYAML, for one) turn {@code 0x5f...}, {@code 1e3} or {@code 0o17} into numbers.
     */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z_/][A-Za-z0-9_./+-]*");
    /** Words YAML 1.1 readers take as booleans or null. */
    private static final Pattern TYPED_WORD = Pattern.compile("(?i)null|true|false|yes|no|on|off|y|n");

    private ConfigPrinter() {
    }

    public static String yaml(Record settings) {
        return yaml(settings, List.of());
    }

    /**
     * As {@link #yaml(Record)}, each setting that one of {@code problems} (from {@link ConfigException#problems()})
     * names followed by that problem as a comment: in a long listing the operator sees which line is wrong, and
     * that a value shown is the default kept in place of one that could not be read. Still YAML that loads.
     */
    public static String yaml(Record settings, List<String> problems) {
        StringBuilder out = new StringBuilder();
        write(settings, "", 0, problems, out);
        return out.toString();
    }

    private static void write(Record record, String prefix, int depth, List<String> problems, StringBuilder out) {
        for (RecordComponent component : record.getClass().getRecordComponents()) {
            Object value;
            try {
                value = component.getAccessor().invoke(record);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read " + component.getName(), e);
            }
            String path = prefix + ConfigLoader.key(component.getName());
            out.append("  ".repeat(depth)).append(ConfigLoader.key(component.getName())).append(':');
            if (value instanceof Record nested) {
                out.append(problemComment(path, problems)).append('\n');
                write(nested, path + ".", depth + 1, problems, out);
            } else {
                out.append(' ').append(scalar(value)).append(problemComment(path, problems)).append('\n');
            }
        }
    }

    private static String problemComment(String path, List<String> problems) {
        List<String> mine = problems.stream().filter(problem -> ConfigLoader.concerns(problem, path))
                .map(ConfigPrinter::commentText).toList();
        return mine.isEmpty() ? "" : "  # <-- " + String.join("; ", mine);
    }

    private static String scalar(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Duration duration) {
            return Durations.format(duration);
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        String text = value.toString();
        return PLAIN.matcher(text).matches() && !TYPED_WORD.matcher(text).matches() ? text : quoted(text);
    }

    /**
     * A problem as comment text: it may quote a value as the user gave it, and a line break (U+0085 and U+2028 are
     * line breaks to YAML 1.1 readers) would end the comment with the rest of it read as YAML.
     */
    private static String commentText(String problem) {
        StringBuilder out = new StringBuilder(problem.length());
        problem.chars().forEach(c -> out.append(unprintable((char) c) ? '?' : (char) c));
        return out.toString();
    }

    /** Characters no YAML reader takes as they are: controls, line separators, a byte order mark, non-characters. */
    private static boolean unprintable(char c) {
        return Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || c == '\uFEFF' || c == '\uFFFE'
                || c == '\uFFFF';
    }

    /**
     * A double-quoted YAML scalar that reads back as {@code text}. A line break written as it is would be folded into
     * a space (and a following line at the margin would end the mapping), and YAML readers refuse other control
     * characters outright, so those are written as escapes: a multi-line system prompt prints and loads back intact.
     */
    private static String quoted(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (unprintable(c)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
