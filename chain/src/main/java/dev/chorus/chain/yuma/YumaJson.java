package dev.chorus.chain.yuma;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The JSON form of one epoch's input and output (the schema of {@code chorus yuma}): snake_case
 * keys, the chain's integer types, sparse rows as {@code [uid, value]} pairs. Reading is strict:
 * a missing, unknown or ill-typed field fails with an {@link IllegalArgumentException} whose
 * message starts with the field's path, e.g. {@code weights[2][0]: ...}.
 */
public final class YumaJson {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final BigInteger U64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private static final List<String> INPUT_FIELDS = List.of("n", "block", "tempo", "activity_cutoff",
            "last_mechanism_step_block", "rao_emission", "kappa", "bonds_penalty", "bonds_moving_average",
            "max_allowed_validators", "min_stake", "owner_uid", "yuma3", "liquid_alpha", "alpha_low", "alpha_high",
            "alpha_sigmoid_steepness", "stake", "validator_permit", "last_update", "block_at_registration", "weights",
            "bonds");
    /** Fields an input may leave out: {@code commit_block} defaults to no pending commits (commit-reveal off). */
    private static final List<String> OPTIONAL_INPUT_FIELDS = List.of("commit_block");
    private static final List<String> OUTPUT_FIELDS = List.of("active", "validator_permit", "stake_weight",
            "consensus", "incentive", "dividends", "validator_trust", "emission", "server_emission",
            "validator_emission", "bonds");

    private YumaJson() {
    }

    public static YumaInput readInput(InputStream json) throws IOException {
        return readInput(parse(json.readAllBytes()));
    }

    public static YumaInput readInput(String json) {
        return readInput(parse(json.getBytes(StandardCharsets.UTF_8)));
    }

    private static JsonNode parse(byte[] json) {
        try (JsonParser parser = MAPPER.createParser(json)) {
            JsonNode root = parser.nextToken() == null ? null : MAPPER.readTree(parser);
            if (root == null || root.isMissingNode()) {
                throw new IllegalArgumentException("input: empty; expected one JSON object with the epoch's fields");
            }
            // Two inputs run together would otherwise give the first one's epoch, and say nothing of the second.
            if (parser.nextToken() != null) {
                throw new IllegalArgumentException("input: more after the epoch's JSON object, at line "
                        + parser.currentTokenLocation().getLineNr() + ", column " + parser.currentTokenLocation().getColumnNr()
                        + "; give one object per run");
            }
            return root;
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new IllegalArgumentException("input: not valid JSON" + where + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static YumaInput readInput(JsonNode root) {
        FieldReader f = new FieldReader(root);
        f.requireFields("input", INPUT_FIELDS, OPTIONAL_INPUT_FIELDS);
        int n = f.read("n", () -> u16(root.get("n"), "n"), -1);
        OptionalInt ownerUid = f.read("owner_uid", () -> root.get("owner_uid").isNull() ? OptionalInt.empty()
                : OptionalInt.of(u16(root.get("owner_uid"), "owner_uid")), OptionalInt.empty());
        int steepness = f.read("alpha_sigmoid_steepness", () -> (int) integer(root.get("alpha_sigmoid_steepness"),
                "alpha_sigmoid_steepness", BigInteger.valueOf(Short.MIN_VALUE), BigInteger.valueOf(Short.MAX_VALUE),
                "an i16").longValue(), 0);
        long block = f.u64("block");
        int tempo = f.u16("tempo");
        long activityCutoff = f.u64("activity_cutoff");
        long lastStep = f.u64("last_mechanism_step_block");
        long raoEmission = f.u64("rao_emission");
        int kappa = f.u16("kappa");
        int bondsPenalty = f.u16("bonds_penalty");
        long bondsMovingAverage = f.u64("bonds_moving_average");
        int maxValidators = f.u16("max_allowed_validators");
        long minStake = f.u64("min_stake");
        boolean yuma3 = f.bool("yuma3");
        boolean liquidAlpha = f.bool("liquid_alpha");
        int alphaLow = f.u16("alpha_low");
        int alphaHigh = f.u16("alpha_high");
        if (n < 0) {
            // without n the per-uid arrays cannot be checked; their problems would only repeat this one
            f.throwIfAny();
        }
        long[] stake = f.read("stake", () -> u64Array(root, "stake", n), null);
        boolean[] permits = f.read("validator_permit", () -> boolArray(root, "validator_permit", n), null);
        long[] lastUpdate = f.read("last_update", () -> u64Array(root, "last_update", n), null);
        long[] registered = f.read("block_at_registration", () -> u64Array(root, "block_at_registration", n), null);
        long[] commitBlock = f.read("commit_block",
                () -> root.has("commit_block") ? u64Array(root, "commit_block", n) : YumaInput.noCommits(n), null);
        List<SparseRow> weights = f.read("weights", () -> rows(root, "weights", n), null);
        List<SparseRow> bonds = f.read("bonds", () -> rows(root, "bonds", n), null);
        f.checkStoredState(n, block, lastStep, ownerUid, lastUpdate, registered, commitBlock, weights, bonds);
        f.throwIfAny();
        return new YumaInput(n, block, tempo, activityCutoff, lastStep, raoEmission, kappa, bondsPenalty,
                bondsMovingAverage, maxValidators, minStake, ownerUid, yuma3, liquidAlpha, alphaLow, alphaHigh, steepness,
                stake, permits, lastUpdate, registered, commitBlock, weights, bonds);
    }

    /**
     * Reads fields while collecting what is wrong with each, so that one run of {@code chorus yuma}
     * names every problem of a hand-written file rather than the first.
     */
    private static final class FieldReader {
        private final JsonNode root;
        private final List<String> problems = new ArrayList<>();
        /** Fields missing or unreadable, whose fallback values must not be checked against others. */
        private final Set<String> unreadable = new HashSet<>();

        FieldReader(JsonNode root) {
            this.root = root;
        }

        void requireFields(String what, List<String> fields, List<String> optional) {
            if (!root.isObject()) {
                throw new IllegalArgumentException(what + ": expected a JSON object with the fields " + fields);
            }
            List<String> absent = fields.stream().filter(field -> !root.has(field)).toList();
            unreadable.addAll(absent);
            if (!absent.isEmpty()) {
                problems.add(String.join(", ", absent) + ": missing; the " + what + " needs every field of " + fields);
            }
            Set<String> known = new HashSet<>(fields);
            known.addAll(optional);
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext();) {
                String field = it.next().getKey();
                if (!known.contains(field)) {
                    problems.add(field + ": unknown field; the " + what + " has exactly " + fields
                            + (optional.isEmpty() ? "" : " and optionally " + optional));
                }
            }
        }

        /** The field's value, or {@code fallback} once its problem is noted (a missing field's was noted already). */
        <T> T read(String field, Supplier<T> value, T fallback) {
            if (unreadable.contains(field)) {
                return fallback;
            }
            try {
                return value.get();
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
                unreadable.add(field);
                return fallback;
            }
        }

        int u16(String field) {
            return read(field, () -> YumaJson.u16(root.get(field), field), 0);
        }

        long u64(String field) {
            return read(field, () -> YumaJson.u64(root.get(field), field), 0L);
        }

        boolean bool(String field) {
            return read(field, () -> YumaJson.bool(root.get(field), field), false);
        }

        /**
         * Values each of the right type that no chain could hold together: a hand-written file's typos, which the
         * epoch would otherwise ignore (a uid past n) or turn into figures that mean nothing (a uid twice in a row).
         * Checks every field that could be read, so that these problems are named in the same run as the others.
         */
        void checkStoredState(int n, long block, long lastStep, OptionalInt ownerUid, long[] lastUpdate,
                              long[] registered, long[] commitBlock, List<SparseRow> weights, List<SparseRow> bonds) {
            if (ownerUid.isPresent() && ownerUid.getAsInt() >= n) {
                problems.add("owner_uid: uid " + ownerUid.getAsInt() + " does not exist (n = " + n + "); give the uid of"
                        + " the owner's hotkey, or null when it is not registered");
            }
            if (!unreadable.contains("block")) {
                if (!unreadable.contains("last_mechanism_step_block")) {
                    notAfterBlock("last_mechanism_step_block", lastStep, block);
                }
                notAfterBlock("last_update", lastUpdate, block);
                notAfterBlock("block_at_registration", registered, block);
                for (int i = 0; commitBlock != null && i < commitBlock.length; i++) {
                    if (commitBlock[i] != YumaInput.NO_COMMIT) {
                        notAfterBlock("commit_block[" + i + "]", commitBlock[i], block);
                    }
                }
            }
            if (weights != null) {
                storedRows("weights", weights, n);
            }
            if (bonds != null) {
                storedRows("bonds", bonds, n);
            }
        }

        private void notAfterBlock(String field, long[] values, long block) {
            if (values == null) {
                return;
            }
            for (int i = 0; i < values.length; i++) {
                notAfterBlock(field + "[" + i + "]", values[i], block);
            }
        }

        private void notAfterBlock(String field, long value, long block) {
            if (Long.compareUnsigned(value, block) > 0) {
                problems.add(field + ": " + Long.toUnsignedString(value) + " is after the epoch's block "
                        + Long.toUnsignedString(block));
            }
        }

        /** The chain refuses a row naming a uid that does not exist or naming one uid twice. */
        private void storedRows(String field, List<SparseRow> rows, int n) {
            for (int i = 0; i < rows.size(); i++) {
                Set<Integer> seen = new HashSet<>();
                SparseRow row = rows.get(i);
                for (int k = 0; k < row.size(); k++) {
                    int uid = row.uids()[k];
                    String path = field + "[" + i + "][" + k + "][0]: uid " + uid;
                    if (uid >= n) {
                        problems.add(path + " does not exist (n = " + n + ", so uids are 0.." + (n - 1) + ")");
                    } else if (!seen.add(uid)) {
                        problems.add(path + " appears twice in " + field + "[" + i + "]; a stored row names each uid once");
                    }
                }
            }
        }

        void throwIfAny() {
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(problems.size() == 1 ? problems.get(0)
                        : problems.size() + " problems:\n  " + String.join("\n  ", problems));
            }
        }
    }

    public static String writeInput(YumaInput in) {
        return write(g -> {
            g.writeNumberField("n", in.n());
            writeU64(g, "block", in.block());
            g.writeNumberField("tempo", in.tempo());
            writeU64(g, "activity_cutoff", in.activityCutoff());
            writeU64(g, "last_mechanism_step_block", in.lastMechanismStepBlock());
            writeU64(g, "rao_emission", in.raoEmission());
            g.writeNumberField("kappa", in.kappa());
            g.writeNumberField("bonds_penalty", in.bondsPenalty());
            writeU64(g, "bonds_moving_average", in.bondsMovingAverage());
            g.writeNumberField("max_allowed_validators", in.maxAllowedValidators());
            writeU64(g, "min_stake", in.minStake());
            if (in.ownerUid().isPresent()) {
                g.writeNumberField("owner_uid", in.ownerUid().getAsInt());
            } else {
                g.writeNullField("owner_uid");
            }
            g.writeBooleanField("yuma3", in.yuma3());
            g.writeBooleanField("liquid_alpha", in.liquidAlpha());
            g.writeNumberField("alpha_low", in.alphaLow());
            g.writeNumberField("alpha_high", in.alphaHigh());
            g.writeNumberField("alpha_sigmoid_steepness", in.alphaSigmoidSteepness());
            writeU64Array(g, "stake", in.stake());
            writeBoolArray(g, "validator_permit", in.validatorPermit());
            writeU64Array(g, "last_update", in.lastUpdate());
            writeU64Array(g, "block_at_registration", in.blockAtRegistration());
            if (Arrays.stream(in.commitBlock()).anyMatch(block -> block != YumaInput.NO_COMMIT)) {
                writeU64Array(g, "commit_block", in.commitBlock());
            }
            writeRows(g, "weights", in.weights());
            writeRows(g, "bonds", in.bonds());
        });
    }

    public static String writeOutput(YumaOutput out) {
        return write(g -> {
            writeBoolArray(g, "active", out.active());
            writeBoolArray(g, "validator_permit", out.validatorPermit());
            writeU16Array(g, "stake_weight", out.stakeWeight());
            writeU16Array(g, "consensus", out.consensus());
            writeU16Array(g, "incentive", out.incentive());
            writeU16Array(g, "dividends", out.dividends());
            writeU16Array(g, "validator_trust", out.validatorTrust());
            writeU64Array(g, "emission", out.emission());
            writeU64Array(g, "server_emission", out.serverEmission());
            writeU64Array(g, "validator_emission", out.validatorEmission());
            writeRows(g, "bonds", out.bonds());
        });
    }

    public static YumaOutput readOutput(String json) {
        JsonNode root = parse(json.getBytes(StandardCharsets.UTF_8));
        FieldReader fields = new FieldReader(root);
        fields.requireFields("output", OUTPUT_FIELDS, List.of());
        fields.throwIfAny();
        int n = root.get("active").size();
        return new YumaOutput(boolArray(root, "active", n), boolArray(root, "validator_permit", n),
                u16Array(root, "stake_weight", n), u16Array(root, "consensus", n), u16Array(root, "incentive", n),
                u16Array(root, "dividends", n), u16Array(root, "validator_trust", n), u64Array(root, "emission", n),
                u64Array(root, "server_emission", n), u64Array(root, "validator_emission", n), rows(root, "bonds", n));
    }

    private static BigInteger integer(JsonNode node, String path, BigInteger min, BigInteger max, String type) {
        if (node == null || !node.isIntegralNumber()) {
            throw new IllegalArgumentException(path + ": expected " + type + " (an integer), got "
                    + (node == null ? "nothing" : node.toString()));
        }
        BigInteger value = node.bigIntegerValue();
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new IllegalArgumentException(path + ": expected " + type + " (" + min + ".." + max + "), got " + value);
        }
        return value;
    }

    private static int u16(JsonNode node, String path) {
        return integer(node, path, BigInteger.ZERO, BigInteger.valueOf(65535), "a u16").intValue();
    }

    private static long u64(JsonNode node, String path) {
        return integer(node, path, BigInteger.ZERO, U64_MAX, "a u64").longValue();
    }

    private static boolean bool(JsonNode node, String path) {
        if (node == null || !node.isBoolean()) {
            throw new IllegalArgumentException(path + ": expected true or false, got " + node);
        }
        return node.booleanValue();
    }

    private static JsonNode array(JsonNode root, String field, int n) {
        JsonNode node = root.get(field);
        if (!node.isArray()) {
            throw new IllegalArgumentException(field + ": expected an array with one entry per uid (n = " + n + ")");
        }
        if (node.size() != n) {
            throw new IllegalArgumentException(field + ": expected one entry per uid (n = " + n + "), got " + node.size());
        }
        return node;
    }

    private static long[] u64Array(JsonNode root, String field, int n) {
        JsonNode node = array(root, field, n);
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = u64(node.get(i), field + "[" + i + "]");
        }
        return out;
    }

    private static int[] u16Array(JsonNode root, String field, int n) {
        JsonNode node = array(root, field, n);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = u16(node.get(i), field + "[" + i + "]");
        }
        return out;
    }

    private static boolean[] boolArray(JsonNode root, String field, int n) {
        JsonNode node = array(root, field, n);
        boolean[] out = new boolean[n];
        for (int i = 0; i < n; i++) {
            out[i] = bool(node.get(i), field + "[" + i + "]");
        }
        return out;
    }

    private static List<SparseRow> rows(JsonNode root, String field, int n) {
        JsonNode node = array(root, field, n);
        List<SparseRow> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            JsonNode row = node.get(i);
            String rowPath = field + "[" + i + "]";
            if (!row.isArray()) {
                throw new IllegalArgumentException(rowPath + ": expected an array of [uid, value] pairs, got " + row);
            }
            int[] uids = new int[row.size()];
            int[] values = new int[row.size()];
            for (int k = 0; k < row.size(); k++) {
                JsonNode pair = row.get(k);
                String pairPath = rowPath + "[" + k + "]";
                if (!pair.isArray() || pair.size() != 2) {
                    throw new IllegalArgumentException(pairPath + ": expected a [uid, value] pair of u16 integers, got "
                            + pair);
                }
                uids[k] = u16(pair.get(0), pairPath + "[0]");
                values[k] = u16(pair.get(1), pairPath + "[1]");
            }
            rows.add(new SparseRow(uids, values));
        }
        return rows;
    }

    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private static String write(Body body) {
        StringWriter text = new StringWriter();
        try (JsonGenerator g = MAPPER.getFactory().createGenerator(text)) {
            g.writeStartObject();
            body.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    private static void writeU64(JsonGenerator g, String field, long value) throws IOException {
        g.writeFieldName(field);
        writeU64(g, value);
    }

    private static void writeU64(JsonGenerator g, long value) throws IOException {
        if (value >= 0) {
            g.writeNumber(value);
        } else {
            g.writeNumber(new BigInteger(Long.toUnsignedString(value)));
        }
    }

    private static void writeU64Array(JsonGenerator g, String field, long[] values) throws IOException {
        g.writeArrayFieldStart(field);
        for (long v : values) {
            writeU64(g, v);
        }
        g.writeEndArray();
    }

    private static void writeU16Array(JsonGenerator g, String field, int[] values) throws IOException {
        g.writeArrayFieldStart(field);
        for (int v : values) {
            g.writeNumber(v);
        }
        g.writeEndArray();
    }

    private static void writeBoolArray(JsonGenerator g, String field, boolean[] values) throws IOException {
        g.writeArrayFieldStart(field);
        for (boolean v : values) {
            g.writeBoolean(v);
        }
        g.writeEndArray();
    }

    private static void writeRows(JsonGenerator g, String field, List<SparseRow> rows) throws IOException {
        g.writeArrayFieldStart(field);
        for (SparseRow row : rows) {
            g.writeStartArray();
            for (int k = 0; k < row.size(); k++) {
                g.writeStartArray();
                g.writeNumber(row.uids()[k]);
                g.writeNumber(row.values()[k]);
                g.writeEndArray();
            }
            g.writeEndArray();
        }
        g.writeEndArray();
    }
}
