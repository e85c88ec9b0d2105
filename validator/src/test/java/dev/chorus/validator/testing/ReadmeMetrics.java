package dev.chorus.validator.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
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
    private static final Pattern MENTION = Pattern.compile("\\b(chorus_[a-z_]+)");
    private static final Pattern SERIES = Pattern.compile("(chorus_[a-z_]+)\\{([a-z_]+)!?=\"([a-z_]+)\"}");

    private ReadmeMetrics() {
    }

    /** The metric names in the README's {@code /metrics} row, labels left off. */
    public static List<String> names() {
        String row = readme().lines().filter(line -> line.startsWith("| `/metrics` |")).findFirst()
                .orElseThrow(() -> new AssertionError(README + " has no `/metrics` row"));
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

    /**
     * What README.md says about the validator's metrics anywhere (the alerts table, the guarantees) that {@code scrape}
     * does not bear out: a {@code chorus_} name (not the miner's) that is not a metric in it, or a
     * {@code name{label="value"}} whose series it lacks.
     */
    public static List<String> mentionsNotIn(String scrape) {
        String readme = readme();
        Set<String> families = families(scrape);
        List<String> wrong = new ArrayList<>();
        MENTION.matcher(readme).results().map(match -> match.group(1)).distinct()
                .filter(name -> !name.startsWith("chorus_miner_") && !families.contains(name)).forEach(wrong::add);
        SERIES.matcher(readme).results().forEach(match -> {
            String series = match.group(1) + "{" + match.group(2) + "=\"" + match.group(3) + "\"}";
            if (scrape.lines().noneMatch(line -> line.startsWith(series + " "))) {
                wrong.add(match.group());
            }
        });
        return wrong;
    }

    private static String readme() {
        try {
            return Files.readString(README);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The README names that have no sample in {@code scrape} (a histogram counts by its _count, _bucket ...). */
    public static List<String> missingFrom(String scrape) {
        List<String> samples = scrape.lines().filter(line -> !line.startsWith("#")).toList();
        return names().stream().filter(name -> samples.stream().noneMatch(line -> line.matches(
                Pattern.quote(name) + "(_bucket|_count|_sum|_max)?[{ ].*"))).toList();
    }
}
