package dev.chorus.miner.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The one JSON form the protocol writes: UTF-8, no insignificant whitespace, fields in declared
 * order, absent optionals omitted. Reading is lenient about whitespace and unknown fields, because
 * the signature covers the raw bytes, not a re-serialisation. A missing field reads as null (or 0), so
 * optional fields may be left out; the records' constructors refuse what is required. Reading is strict about
 * everything else: a value of the wrong JSON type is not converted ({@code "prompt": 5} is refused, not read as
 * "5"), a field given twice and anything after the object are refused, because two readers of the same signed
 * bytes must not see two different messages.
 */
public final class CanonicalJson {

    private static final ObjectMapper MAPPER = strictTypes(JsonMapper.builder())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final String EMPTY = "the body is JSON null or empty; send a JSON object";

    private CanonicalJson() {
    }

    /**
     * Makes {@code builder} refuse a value of another JSON type than its field's instead of converting it: a
     * string, float or boolean for a whole number, a number or boolean for a string. Integers still read into
     * floating-point fields, since {@code 1} is JSON's way of writing {@code 1.0}.
     */
    public static JsonMapper.Builder strictTypes(JsonMapper.Builder builder) {
        return builder
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                // ALLOW_COERCION_OF_SCALARS leaves a number read into a string field as its text
                .withCoercionConfig(LogicalType.Textual, strings -> strings
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail));
    }

    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("protocol records always serialise", e);
        }
    }

    /** Parses a body; any problem (syntax, missing or invalid field) is a {@link MalformedMessageException}. */
    public static <T> T read(byte[] json, Class<T> type) {
        if (isBlank(json)) {
            throw new MalformedMessageException(EMPTY);
        }
        T value;
        // Read through a parser rather than with FAIL_ON_TRAILING_TOKENS, whose message names Jackson's feature
        // instead of saying what the sender did wrong.
        try (JsonParser parser = MAPPER.createParser(utf8(json))) {
            value = MAPPER.readValue(parser, type);
            if (value != null && parser.nextToken() != null) {
                throw new MalformedMessageException("the body goes on after its JSON object; send exactly one object");
            }
        } catch (MalformedMessageException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new MalformedMessageException(describe(e), e);
        }
        if (value == null) {
            throw new MalformedMessageException(EMPTY);
        }
        return value;
    }

    /**
     * The body's text, decoded strictly. Given bytes, Jackson guesses their encoding: it reads UTF-16 and UTF-32 and
     * lets overlong and surrogate UTF-8 sequences through ({@code C0 AF} as {@code /}), so another reader of the same
     * signed bytes could see another message.
     */
    private static String utf8(byte[] json) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(json))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new MalformedMessageException("the body is not UTF-8 (" + e.getMessage() + "); send its JSON as UTF-8");
        }
    }

    private static boolean isBlank(byte[] json) {
        for (byte b : json) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }

    private static String describe(Exception e) {
        if (e instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
            String field = mismatch.getPath().get(mismatch.getPath().size() - 1).getFieldName();
            if (field != null) {
                return "field '" + field + "' must be " + kind(mismatch.getTargetType()) + " (PROTOCOL.md lists each field's type)";
            }
        }
        if (e instanceof StreamReadException syntax) {
            // also a field given twice: "Duplicate field 'version'"
            return "the body is not one well-formed JSON object with each field once: " + syntax.getOriginalMessage();
        }
        Throwable cause = e;
        while (cause.getCause() != null && !(cause instanceof IllegalArgumentException)) {
            cause = cause.getCause();
        }
        String message = cause instanceof IllegalArgumentException ? cause.getMessage() : e.getMessage();
        int newline = message == null ? -1 : message.indexOf('\n');
        return newline < 0 ? String.valueOf(message) : message.substring(0, newline);
    }

    private static String kind(Class<?> type) {
        if (type == String.class) {
            return "a string";
        }
        if (type == int.class || type == long.class || type == Integer.class || type == Long.class) {
            return "a whole number";
        }
        return type != null && type.isRecord() ? "an object" : "of the type PROTOCOL.md gives";
    }
}
