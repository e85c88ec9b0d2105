package dev.chorus.validator.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The metrics README.md's {@code /metrics} row promises: operators write alerts against these names, so a fresh
 * validator's first scrape must already hold every one of them, and a metric the row leaves out is one no operator
 * knows to watch.
 */
public final class ReadmeMetrics {

    private static final Path README = Path.of("..", "README.md");
    private static final Pattern NAME = Pattern.compile("`(chorus_[a-z_]+)(\\{[a-z_,]+})?`");

    private ReadmeMetrics() {
    }

    /** The metric names in the README's {@code /metrics} row, labels left off. */
    public static List<String> names() {
        String row;
        try {
            row = Files.readAllLines(README).stream().filter(line -> line.startsWith("| `/metrics` |")).findFirst()
                    .orElseThrow(() -> new AssertionError(README + " has no `/metrics` row"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> names = NAME.matcher(row).results().map(match -> match.group(1)).toList();
        if (names.isEmpty()) {
            throw new AssertionError(README + "'s `/metrics` row names no `chorus_...` metric; the checks against it would"
                    + " check nothing");
        }
        return names;
    }

    /**
     * The {@code chorus_} metrics in {@code scrape} whose names the README's {@code /metrics} row does not give (a
     * timer's {@code _max} twin goes with the timer).
     */
    public static List<String> unlistedIn(String scrape) {
        List<String> listed = names();
        return families(scrape).stream().filter(name -> !listed.contains(name)).toList();
    }

    /** The {@code chorus_} metric names in {@code scrape}, as its TYPE lines give them, less timers' {@code _max} twins. */
    public static Set<String> families(String scrape) {
        Set<String> families = scrape.lines().filter(line -> line.startsWith("# TYPE chorus_"))
                .map(line -> line.split(" ")[2]).collect(Collectors.toCollection(TreeSet::new));
        families.removeIf(name -> name.endsWith("_max") && families.contains(name.substring(0, name.length() - 4)));
        return families;
    }

    /** The README names that have no sample in {@code scrape} (a histogram counts by its _count, _bucket ...). */
    public static List<String> missingFrom(String scrape) {
        List<String> samples = scrape.lines().filter(line -> !line.startsWith("#")).toList();
        return names().stream().filter(name -> samples.stream().noneMatch(line -> line.matches(
                Pattern.quote(name) + "(_bucket|_count|_sum|_max)?[{ ].*"))).toList();
    }
}
