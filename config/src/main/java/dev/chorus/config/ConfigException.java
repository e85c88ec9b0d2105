package dev.chorus.config;

import java.util.List;

/** Configuration could not be loaded; carries every problem found, not just the first. */
public final class ConfigException extends RuntimeException {

    private final List<String> problems;

    public ConfigException(String source, List<String> problems) {
        super(format(source, problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }

    private static String format(String source, List<String> problems) {
        StringBuilder text = new StringBuilder();
        text.append(problems.size() == 1 ? "1 problem" : problems.size() + " problems")
                .append(" in the configuration (").append(source).append("):");
        for (String problem : problems) {
            text.append(System.lineSeparator()).append("  - ").append(problem);
        }
        return text.toString();
    }
}
