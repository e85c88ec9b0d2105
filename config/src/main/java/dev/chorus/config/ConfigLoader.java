package dev.chorus.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loads a settings record in four layers, each overriding the one before:
 * <ol>
 *   <li>the record's defaults;</li>
 *   <li>a YAML or JSON file (keys in snake_case, sections nested: {@code chain: {rpc_url: ...}});</li>
 *   <li>environment variables named {@code CHORUS_} + the upper-cased path ({@code CHORUS_CHAIN_RPC_URL}); any
 *   other {@code CHORUS_*} variable is reported as misspelt unless {@link Environment} says why it is there;</li>
 *   <li>overrides from the command line, by dotted path ({@code --set chain.rpc_url=...}).</li>
 * </ol>
 * Every problem of every layer is collected, then the record's own {@link Settings#validate} runs, and all
 * problems are reported together in one {@link ConfigException}.
 */
public final class ConfigLoader {

    private static final String ENV_PREFIX = "CHORUS_";

    /**
     * The settings of every chorus command that reads the environment. One environment (a shell, a unit's
     * EnvironmentFile) commonly serves both {@code chorus validator} and {@code chorus miner}, so a variable naming
     * the other command's setting is no misspelling; nor are the default names of the variables holding keys and
     * tokens, which {@code chorus key}, {@code chorus chain} and {@code chorus ask} read whatever the settings say.
     */
    private static final List<Record> EVERY_COMMAND = List.of(ValidatorConfig.defaults(), MinerConfig.defaults());

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /**
     * No setting means anything near this, and the libraries that take these times stop far short of what a Duration
     * holds: OkHttp refuses a timeout above 2^31-1 ms (24.8 days), others overflow converting to milliseconds.
     */
    private static final Duration LONGEST = Duration.ofDays(24);
    private static final Pattern DURATION = Pattern.compile("(-?)\\s*(\\d+)\\s*(ms|s|m|h|d)");

    private final Map<String, String> env;
    /** The settings file was given but could not be read as settings. */
    private boolean fileUnreadable;
    private final Map<String, String> overrides;
    private final List<String> problems = new ArrayList<>();
    /**
     * Environment names of every setting, the names that settings ending in _env or _envs point at, and the
     * environment's {@link Environment#otherNames()}: the {@code CHORUS_*} variables that are not misspelt settings.
     */
    private final Set<String> knownEnvNames = new HashSet<>();
    /** Dotted paths of every setting, for suggesting the one a misspelt {@code --set} meant. */
    private final Set<String> knownPaths = new TreeSet<>();
    private String fileName = "defaults";

    private ConfigLoader(Environment env, Map<String, String> overrides) {
        this.env = env.variables();
        this.knownEnvNames.addAll(env.otherNames());
        this.overrides = new TreeMap<>(overrides);
    }

    /**
     * The process environment as the loader reads it. Every {@code CHORUS_*} variable in it must be a setting, a
     * variable that a setting names ({@code key.private_key_env}, {@code organic.api_key_envs}, ...), or one of
     * {@code otherNames}; any other is reported as a misspelt setting, which it most likely is.
     *
     * @param variables  name to value, such as {@link System#getenv()}
     * @param otherNames {@code CHORUS_*} variables that are no setting but that the program reads for itself (a log
     *                   level, a tool's path), which the config module cannot know of
     */
    public record Environment(Map<String, String> variables, Set<String> otherNames) {

        public Environment {
            variables = Map.copyOf(variables);
            otherNames = Set.copyOf(otherNames);
        }

        /** Variables of which every {@code CHORUS_*} name is meant as a setting or is named by one. */
        public static Environment of(Map<String, String> variables) {
            return new Environment(variables, Set.of());
        }
    }

    /**
     * @param defaults  the values used where no layer sets one
     * @param file      the settings file, if any
     * @param env       the process environment (only {@code CHORUS_*} names are read); see {@link Environment} for
     *                  which of them are accepted
     * @param overrides dotted path to value, from the command line
     */
    public static <T extends Record & Settings> T load(T defaults, Optional<Path> file, Map<String, String> env,
                                                      Map<String, String> overrides) {
        return load(defaults, file, Environment.of(env), overrides);
    }

    /** As {@link #load(Record, Optional, Map, Map)}, accepting the environment's {@link Environment#otherNames()}. */
    public static <T extends Record & Settings> T load(T defaults, Optional<Path> file, Environment env,
                                                      Map<String, String> overrides) {
        Inspection<T> inspection = inspect(defaults, file, env, overrides);
        if (inspection.problems().isPresent()) {
            throw inspection.problems().get();
        }
        return inspection.config();
    }

    /**
     * The settings as {@link #load} binds them, with its problems returned instead of thrown: a value that could not
     * be read keeps its default. For showing an operator what a configuration amounts to while it is still wrong.
     */
    public record Inspection<T>(T config, Optional<ConfigException> problems) {
    }

    /** As {@link #load}, but never throws for a bad configuration; see {@link Inspection}. */
    public static <T extends Record & Settings> Inspection<T> inspect(T defaults, Optional<Path> file,
                                                                      Map<String, String> env,
                                                                      Map<String, String> overrides) {
        return inspect(defaults, file, Environment.of(env), overrides);
    }

    /** As {@link #load(Record, Optional, Environment, Map)}, but never throws for a bad configuration. */
    public static <T extends Record & Settings> Inspection<T> inspect(T defaults, Optional<Path> file,
                                                                      Environment env,
                                                                      Map<String, String> overrides) {
        ConfigLoader loader = new ConfigLoader(env, overrides);
        JsonNode tree = file.map(loader::readFile).orElse(MissingNode.getInstance());
        T config = loader.bind(defaults, tree, "");
        List<String> paths = List.copyOf(loader.knownPaths);
        loader.overrides.keySet().forEach(key -> loader.problems.add("--set " + key + ": no such setting"
                + suggestion(key, paths) + "; settings are dotted snake_case paths such as chain.rpc_url"));
        loader.reportUnknownEnvironment();
        // Validating defaults in place of a file that could not be read would report settings the file may well set.
        if (!loader.fileUnreadable) {
            List<String> validation = new ArrayList<>();
            config.validate("", validation);
            for (String problem : validation) {
                if (!loader.reported(problem)) {
                    loader.problems.add(problem);
                }
            }
        }
        return new Inspection<>(config, loader.problems.isEmpty() ? Optional.empty()
                : Optional.of(new ConfigException(loader.fileName, loader.problems)));
    }

    /** A setting that could not be read keeps its default; validating that default again would only add noise. */
    private boolean reported(String validationProblem) {
        String key = validationProblem.substring(0, Math.max(0, validationProblem.indexOf(':')));
        return problems.stream().anyMatch(p -> concerns(p, key));
    }

    /** Whether {@code problem}, as this loader words them, is about the setting (or section) at {@code path}. */
    static boolean concerns(String problem, String path) {
        return problem.startsWith(path + ":") || problem.startsWith("--set " + path + ":");
    }

    /** Turns a record component name into its key in files and paths: {@code rpcUrl} -> {@code rpc_url}. */
    static String key(String componentName) {
        return componentName.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }

    private static String envName(String dottedPath) {
        return ENV_PREFIX + dottedPath.replace('.', '_').toUpperCase(Locale.ROOT);
    }

    private JsonNode readFile(Path path) {
        fileName = path.toString();
        fileUnreadable = true;
        if (!Files.isRegularFile(path)) {
            problems.add("file " + path + " does not exist or is not a file; pass the path of a YAML or JSON settings file");
            return MissingNode.getInstance();
        }
        try {
            JsonNode node = readScalarsAsText(path);
            if (node == null || node.isMissingNode() || node.isNull()) {
                fileUnreadable = false;
                return MissingNode.getInstance();
            }
            if (!node.isObject()) {
                problems.add("file " + path + " must hold a mapping of sections (chain:, rounds:, ...), not " + describe(node));
                return MissingNode.getInstance();
            }
            fileUnreadable = false;
            return node;
        } catch (JacksonException e) {
            problems.add("file " + path + " is not valid YAML or JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")"));
        } catch (IOException e) {
            problems.add("file " + path + " cannot be read: " + e.getMessage());
        }
        return MissingNode.getInstance();
    }

    /**
     * Reads the file keeping every scalar's text as written: YAML would otherwise turn a contract address
     * such as {@code 0x5FbD...} into a hexadecimal integer, and {@code 010} into 8.
     */
    private static JsonNode readScalarsAsText(Path path) throws IOException {
        try (JsonParser parser = YAML.getFactory().createParser(path.toFile())) {
            return parser.nextToken() == null ? MissingNode.getInstance() : readValue(parser);
        }
    }

    private static JsonNode readValue(JsonParser parser) throws IOException {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        switch (parser.currentToken()) {
            case START_OBJECT -> {
                ObjectNode object = nodes.objectNode();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    if (object.has(name)) {
                        // YAML parsers keep the last of two equal keys, which would drop the first without a word.
                        throw new JsonParseException(parser, "'" + name + "' appears twice in the same mapping; merge"
                                + " the two into one, since only one of them could count");
                    }
                    parser.nextToken();
                    object.set(name, readValue(parser));
                }
                return object;
            }
            case START_ARRAY -> {
                ArrayNode array = nodes.arrayNode();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    array.add(readValue(parser));
                }
                return array;
            }
            case VALUE_NULL -> {
                return nodes.nullNode();
            }
            default -> {
                return nodes.textNode(parser.getText());
            }
        }
    }

    private <R extends Record> R bind(R defaults, JsonNode node, String path) {
        Class<?> type = defaults.getClass();
        RecordComponent[] components = type.getRecordComponents();
        if (!node.isMissingNode() && !node.isObject()) {
            problems.add(path.isEmpty() ? "the file must hold a mapping" : path.substring(0, path.length() - 1) + ": must be a mapping of settings, found " + describe(node));
            node = MissingNode.getInstance();
        }
        reportUnknownKeys(node, components, path);
        Object[] values = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent component = components[i];
            types[i] = component.getType();
            String childPath = path + key(component.getName());
            Object current = read(component, defaults);
            JsonNode child = node.path(key(component.getName()));
            if (Record.class.isAssignableFrom(component.getType())) {
                values[i] = bind((Record) current, child, childPath + ".");
            } else {
                values[i] = leaf(component.getType(), current, child, childPath);
            }
        }
        try {
            @SuppressWarnings("unchecked")
            R bound = (R) type.getDeclaredConstructor(types).newInstance(values);
            return bound;
        } catch (InvocationTargetException e) {
            problems.add((path.isEmpty() ? "settings" : path.substring(0, path.length() - 1)) + ": " + e.getCause().getMessage());
            return defaults;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("settings record " + type.getName() + " has no canonical constructor", e);
        }
    }

    /** What a node that should have been a mapping is, in the words of the file. */
    private static String describe(JsonNode node) {
        return node.isArray() ? "a list" : "the single value '" + node.asText() + "'";
    }

    private void reportUnknownKeys(JsonNode node, RecordComponent[] components, String path) {
        if (!node.isObject()) {
            return;
        }
        List<String> known = new ArrayList<>();
        for (RecordComponent component : components) {
            known.add(key(component.getName()));
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                problems.add(path + name + ": unknown setting" + suggestion(name, known) + "; known here: " + String.join(", ", known));
            }
        }
    }

    private static String suggestion(String name, List<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int distance = editDistance(name, candidate);
            if (distance < bestDistance) {
                bestDistance = distance;
                best = candidate;
            }
        }
        if (best != null && bestDistance <= 3) {
            return " (did you mean " + best + "?)";
        }
        // A name cut short, such as alpha for moving_average_alpha, is far in letters but plain in words.
        List<String> containing = known.stream().filter(candidate -> wordsInOrder(name, candidate)).toList();
        return containing.size() == 1 ? " (did you mean " + containing.get(0) + "?)" : "";
    }

    /** Whether every word of {@code name} (split at dots and underscores) is in {@code candidate}, in the same order. */
    private static boolean wordsInOrder(String name, String candidate) {
        String[] wanted = name.toLowerCase(Locale.ROOT).split("[._]");
        String[] words = candidate.toLowerCase(Locale.ROOT).split("[._]");
        int next = 0;
        for (String word : words) {
            if (next < wanted.length && word.equals(wanted[next])) {
                next++;
            }
        }
        return next == wanted.length;
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    /**
     * A misspelt variable ({@code CHORUS_CHAIN_RPCURL}, or a misspelt section as in {@code CHORUS_ROUND_PERIOD}) would
     * otherwise be ignored without a word, while the same slip in the file or in {@code --set} is reported. The
     * {@code CHORUS_*} names that are no setting of this command but are there on purpose (see {@link #EVERY_COMMAND}
     * and {@link Environment}) are left alone; values are never printed, since some of them are keys.
     */
    private void reportUnknownEnvironment() {
        for (Record command : EVERY_COMMAND) {
            noteEveryName(command, "");
        }
        List<String> accepted = knownEnvNames.stream().filter(name -> name.startsWith(ENV_PREFIX)).sorted().toList();
        env.keySet().stream().sorted()
                .filter(name -> name.startsWith(ENV_PREFIX) && !knownEnvNames.contains(name))
                .forEach(name -> {
                    String suggestion = suggestion(name, accepted);
                    problems.add("environment variable " + name + ": no such setting" + suggestion
                            + "; correct or unset it" + (!suggestion.isEmpty() ? "" : " (settings are named CHORUS_"
                            + "<SECTION>_<KEY>, e.g. CHORUS_CHAIN_RPC_URL; a variable holding a key or token must be"
                            + " named by the setting that reads it, e.g. key.private_key_env, or not start with CHORUS_)"));
                });
    }

    /**
     * Adds the names of every setting of {@code settings} (one of {@link #EVERY_COMMAND}), and the names its settings
     * ending in _env or _envs point at, by default and as this environment sets them.
     */
    private void noteEveryName(Record settings, String path) {
        for (RecordComponent component : settings.getClass().getRecordComponents()) {
            String childPath = path + key(component.getName());
            Object value = read(component, settings);
            if (value instanceof Record section) {
                noteEveryName(section, childPath + ".");
            } else {
                knownEnvNames.add(envName(childPath));
                knownEnvNames.addAll(namedVariables(childPath, value));
                knownEnvNames.addAll(namedVariables(childPath, env.get(envName(childPath))));
            }
        }
    }

    /** The variables a setting ending in _env or _envs names (comma-separated); none for any other setting. */
    private static List<String> namedVariables(String path, Object value) {
        if ((path.endsWith("_env") || path.endsWith("_envs")) && value instanceof String names) {
            return Arrays.stream(names.split(",")).map(String::trim).filter(name -> !name.isEmpty()).toList();
        }
        return List.of();
    }

    private void noteEnvironmentNames(String path, Object value) {
        knownPaths.add(path);
        knownEnvNames.add(envName(path));
        knownEnvNames.addAll(namedVariables(path, value));
    }

    private Object leaf(Class<?> type, Object current, JsonNode fileValue, String path) {
        Object value = leafValue(type, current, fileValue, path);
        noteEnvironmentNames(path, value);
        return value;
    }

    private Object leafValue(Class<?> type, Object current, JsonNode fileValue, String path) {
        String override = overrides.remove(path);
        String envValue = env.get(envName(path));
        String text;
        String source;
        if (override != null) {
            text = override;
            source = "--set " + path;
        } else if (envValue != null) {
            text = envValue;
            source = "environment variable " + envName(path);
        } else if (!fileValue.isMissingNode()) {
            if (fileValue.isNull() && current == null) {
                return null;
            }
            if (fileValue.isNull() && type != String.class) {
                problems.add(path + ": empty in " + fileName + "; give a value or delete the line to keep the default ("
                        + (current instanceof Duration d ? Durations.format(d) : current) + ")");
                return current;
            }
            if (fileValue.isContainerNode()) {
                problems.add(path + ": expected a single value, found a " + (fileValue.isArray() ? "list" : "mapping"));
                return current;
            }
            // An empty text setting is the empty text, which each setting's check judges (most mean "none").
            text = fileValue.isNull() ? "" : fileValue.asText();
            source = fileName;
        } else {
            return current;
        }
        try {
            return convert(type, text.trim());
        } catch (IllegalArgumentException e) {
            problems.add(path + ": '" + text + "' (from " + source + ") " + e.getMessage());
            return current;
        }
    }

    private static Object convert(Class<?> type, String text) {
        if (type == String.class) {
            return text;
        }
        if (type == int.class || type == Integer.class) {
            return parse(() -> Integer.parseInt(text), wholeNumberComplaint(text, Integer.MIN_VALUE, Integer.MAX_VALUE));
        }
        if (type == long.class || type == Long.class) {
            return parse(() -> Long.parseLong(text), wholeNumberComplaint(text, Long.MIN_VALUE, Long.MAX_VALUE));
        }
        if (type == double.class || type == Double.class) {
            return parse(() -> Double.parseDouble(text), "is not a number");
        }
        if (type == boolean.class || type == Boolean.class) {
            if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
                return Boolean.parseBoolean(text);
            }
            throw new IllegalArgumentException("is not true or false");
        }
        if (type == Duration.class) {
            return duration(text);
        }
        if (type == Path.class) {
            return text.isEmpty() ? null : Path.of(text);
        }
        throw new IllegalStateException("settings of type " + type.getName() + " are not supported");
    }

    private static Duration duration(String text) {
        Duration duration;
        Matcher matcher = DURATION.matcher(text);
        if (matcher.matches()) {
            try {
                // Digits beyond a long are far beyond LONGEST too; the parser's own "For input string" says neither.
                long amount = Long.parseLong(matcher.group(2));
                duration = switch (matcher.group(3)) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    case "h" -> Duration.ofHours(amount);
                    default -> Duration.ofDays(amount);
                };
            } catch (ArithmeticException | NumberFormatException tooLong) {
                // a negative amount too large to hold is first of all negative
                throw matcher.group(1).isEmpty() ? tooLong() : negative();
            }
            duration = matcher.group(1).isEmpty() ? duration : duration.negated();
        } else {
            try {
                duration = Duration.parse(text);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("is not a duration; write e.g. 500ms, 12s, 2m, 1h");
            }
        }
        // No setting takes a negative time, and "is not a duration" would hide that the sign is the mistake.
        if (duration.isNegative()) {
            throw negative();
        }
        if (duration.compareTo(LONGEST) > 0) {
            throw tooLong();
        }
        return duration;
    }

    private static IllegalArgumentException negative() {
        return new IllegalArgumentException("is negative; a duration must be positive, e.g. 500ms, 12s or 2m");
    }

    private static IllegalArgumentException tooLong() {
        return new IllegalArgumentException("is longer than " + Durations.format(LONGEST)
                + ", the most any duration setting takes; write e.g. 12s, 2m or 1h");
    }

    /** Digits that overflow are a whole number all the same: calling them "not a whole number" would hide the mistake. */
    private static String wholeNumberComplaint(String text, long min, long max) {
        return text.matches("[-+]?\\d+") ? "is too large; no value of this setting is outside " + min + ".." + max
                : "is not a whole number";
    }

    private static Object parse(java.util.function.Supplier<Object> parser, String complaint) {
        try {
            return parser.get();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(complaint);
        }
    }

    private static Object read(RecordComponent component, Record record) {
        try {
            return component.getAccessor().invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + component.getName(), e);
        }
    }
}
