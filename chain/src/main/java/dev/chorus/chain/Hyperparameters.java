package dev.chorus.chain;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A subnet's owner-settable parameters, field for field as the contract's {@code Hyperparameters}
 * struct. {@link #defaults()} are subtensor's values for a new subnet (spec §6.3); amounts are in rao.
 *
 * @param tempo                 blocks per epoch
 * @param kappa                 consensus majority threshold, u16 proportion (32767 ≈ 0.5)
 * @param bondsMovingAverage    bond EMA in parts per million (900000 → α = 0.1), at most 975000
 * @param bondsPenalty          u16 proportion of the clipped weights used for bonds
 * @param weightsRateLimit      blocks between two weight settings (or commits) of one uid
 * @param weightsVersionKey     minimum version key a validator must send (0 = no check)
 * @param minAllowedWeights     fewest entries a weight row may have (a row of the self-weight alone is exempt)
 * @param maxAllowedValidators  how many top-stake uids hold a validator permit
 * @param maxAllowedUids        subnet size; registering into a full subnet prunes a uid
 * @param immunityPeriod        blocks after registration during which a uid is pruned last
 * @param activityCutoff        blocks without a weight update after which a validator is inactive
 * @param commitRevealEnabled   weights must be committed as a hash and revealed later
 * @param revealPeriod          epochs between commit and reveal (1..100)
 * @param yuma3                 run Yuma 3 instead of classic Yuma
 * @param liquidAlpha           per-bond EMA rate (Yuma 3 only)
 * @param alphaLow              lower bound of liquid alpha, u16 proportion, at least {@link #MIN_ALPHA}
 * @param alphaHigh             upper bound of liquid alpha, u16 proportion
 * @param alphaSigmoidSteepness steepness of the liquid-alpha sigmoid
 * @param burn                  rao burnt to register
 * @param emissionPerEpoch      rao an epoch distributes
 * @param stakeThreshold        stake (rao) a non-owner needs to set weights
 * @param servingRateLimit      blocks between two serveAxon calls of one hotkey
 * @param registrationAllowed   whether new hotkeys may register
 * @param allowLoopbackAxons    accept 127.0.0.1 / ::1 axons (local development only)
 */
public record Hyperparameters(
        int tempo,
        int kappa,
        long bondsMovingAverage,
        int bondsPenalty,
        long weightsRateLimit,
        long weightsVersionKey,
        int minAllowedWeights,
        int maxAllowedValidators,
        int maxAllowedUids,
        long immunityPeriod,
        long activityCutoff,
        boolean commitRevealEnabled,
        long revealPeriod,
        boolean yuma3,
        boolean liquidAlpha,
        int alphaLow,
        int alphaHigh,
        int alphaSigmoidSteepness,
        long burn,
        long emissionPerEpoch,
        long stakeThreshold,
        long servingRateLimit,
        boolean registrationAllowed,
        boolean allowLoopbackAxons) {

    /**
     * Lowest liquid-alpha bound subtensor accepts ({@code do_set_alpha_values}): an alpha near 0 would freeze a
     * validator's bonds at their first values.
     */
    public static final int MIN_ALPHA = 65535 / 40;

    public Hyperparameters {
        List<String> problems = new ArrayList<>();
        requireU16(problems, "tempo", tempo);
        requireU16(problems, "kappa", kappa);
        requireU16(problems, "bondsPenalty", bondsPenalty);
        requireU16(problems, "minAllowedWeights", minAllowedWeights);
        requireU16(problems, "maxAllowedValidators", maxAllowedValidators);
        requireU16(problems, "maxAllowedUids", maxAllowedUids);
        requireU16(problems, "alphaLow", alphaLow);
        requireU16(problems, "alphaHigh", alphaHigh);
        if (maxAllowedUids == 0) {
            problems.add("maxAllowedUids must be at least 1");
        }
        if (maxAllowedValidators > maxAllowedUids) {
            problems.add("maxAllowedValidators (" + maxAllowedValidators + ") must not exceed maxAllowedUids (" + maxAllowedUids + ")");
        }
        if (bondsMovingAverage < 0 || bondsMovingAverage > 975_000) {
            problems.add("bondsMovingAverage must be between 0 and 975000 parts per million, got " + bondsMovingAverage);
        }
        if (revealPeriod < 1 || revealPeriod > 100) {
            problems.add("revealPeriod must be between 1 and 100 epochs, got " + revealPeriod);
        }
        if (alphaLow < MIN_ALPHA) {
            problems.add("alphaLow must be at least " + MIN_ALPHA + " (1/40 of 65535, subtensor's floor), got " + alphaLow);
        }
        if (alphaLow > alphaHigh) {
            problems.add("alphaLow (" + alphaLow + ") must not exceed alphaHigh (" + alphaHigh + ")");
        }
        if (alphaSigmoidSteepness < Short.MIN_VALUE || alphaSigmoidSteepness > Short.MAX_VALUE) {
            problems.add("alphaSigmoidSteepness must fit an int16, got " + alphaSigmoidSteepness);
        }
        if (activityCutoff < 1) {
            problems.add("activityCutoff must be at least 1 block, got " + activityCutoff);
        }
        for (var field : List.of(
                Map.entry("bondsMovingAverage", bondsMovingAverage), Map.entry("weightsRateLimit", weightsRateLimit),
                Map.entry("weightsVersionKey", weightsVersionKey), Map.entry("immunityPeriod", immunityPeriod),
                Map.entry("burn", burn), Map.entry("emissionPerEpoch", emissionPerEpoch),
                Map.entry("stakeThreshold", stakeThreshold), Map.entry("servingRateLimit", servingRateLimit))) {
            if (field.getValue() < 0) {
                problems.add(field.getKey() + " must not be negative, got " + field.getValue());
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid hyperparameters: " + String.join("; ", problems));
        }
    }

    private static void requireU16(List<String> problems, String name, int value) {
        if (value < 0 || value > 65_535) {
            problems.add(name + " must be between 0 and 65535, got " + value);
        }
    }

    /** Subtensor's values for a newly created subnet. */
    public static Hyperparameters defaults() {
        return new Hyperparameters(360, 32_767, 900_000, 65_535, 100, 0, 1, 64, 256, 5_000, 5_000,
                true, 1, true, false, 45_875, 58_982, 1_000, 1_000_000_000L, 360_000_000_000L, 0, 50, true, false);
    }

    /** Settings for a fast local development subnet: given tempo, no rate limits, plain setWeights, loopback axons. */
    public static Hyperparameters localDevelopment(int tempo) {
        return defaults().with("tempo", Integer.toString(tempo))
                .with("weightsRateLimit", "0")
                .with("servingRateLimit", "0")
                .with("commitRevealEnabled", "false")
                .with("allowLoopbackAxons", "true");
    }

    /** The ABI type of each field, in order, as the contract's struct declares it. */
    public static List<String> abiTypes() {
        List<String> types = new ArrayList<>();
        for (RecordComponent component : Hyperparameters.class.getRecordComponents()) {
            types.add(abiType(component.getName(), component.getType()));
        }
        return types;
    }

    private static String abiType(String name, Class<?> type) {
        if (type == boolean.class) {
            return "bool";
        }
        if (name.equals("alphaSigmoidSteepness")) {
            return "int16";
        }
        return type == int.class ? "uint16" : "uint64";
    }

    /** Field name → value, in declaration order. */
    public Map<String, Object> asMap() {
        Map<String, Object> values = new LinkedHashMap<>();
        for (RecordComponent component : Hyperparameters.class.getRecordComponents()) {
            try {
                values.put(component.getName(), component.getAccessor().invoke(this));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("record accessor " + component.getName() + " is always callable", e);
            }
        }
        return values;
    }

    /** Whether the field named as {@link #asMap} keys it is an amount in rao (10^9 to a token), not a count. */
    public static boolean inRao(String field) {
        return field.equals("burn") || field.equals("emissionPerEpoch") || field.equals("stakeThreshold");
    }

    /**
     * The field's name as {@link #asMap} keys it, for {@code name} given here or in snake case, any letter case
     * ({@code "weights_rate_limit"} gives {@code "weightsRateLimit"}); empty for a name no field has.
     */
    public static Optional<String> fieldName(String name) {
        String wanted = name.replace("_", "").replace("-", "");
        return Arrays.stream(Hyperparameters.class.getRecordComponents()).map(RecordComponent::getName)
                .filter(field -> field.equalsIgnoreCase(wanted)).findFirst();
    }

    /**
     * A copy with one field changed, by its name here or in snake case, any letter case
     * (e.g. {@code with("tempo", "10")}, {@code with("weights_rate_limit", "0")}).
     */
    public Hyperparameters with(String name, String value) {
        Map<String, Object> values = asMap();
        name = fieldName(name).orElse(name);
        if (!values.containsKey(name)) {
            throw new IllegalArgumentException("unknown hyperparameter '" + name + "'; known: " + String.join(", ", values.keySet()));
        }
        Object current = values.get(name);
        try {
            Object parsed = switch (current) {
                case Boolean b -> parseBoolean(value);
                case Integer i -> Integer.parseInt(value.strip());
                default -> Long.parseLong(value.strip());
            };
            values.put(name, parsed);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("hyperparameter '" + name + "' needs a whole number, got '" + value + "'");
        }
        RecordComponent[] components = Hyperparameters.class.getRecordComponents();
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
        }
        try {
            return Hyperparameters.class.getDeclaredConstructor(types).newInstance(values.values().toArray());
        } catch (java.lang.reflect.InvocationTargetException e) {
            if (e.getCause() instanceof IllegalArgumentException invalid) {
                throw invalid;
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the canonical constructor is always callable", e);
        }
    }

    private static boolean parseBoolean(String value) {
        return switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new IllegalArgumentException("expected true or false, got '" + value + "'");
        };
    }

    /**
     * The subnet's epoch index at {@code block}, the count commit-reveal works in (subtensor's and the contract's
     * {@code currentEpoch}): epochs end where {@code (block + netuid + 1) % (tempo + 1) == 0}.
     */
    public long epochIndexAt(int netuid, long block) {
        return (block + netuid + 1) / (tempo + 1L);
    }
}
