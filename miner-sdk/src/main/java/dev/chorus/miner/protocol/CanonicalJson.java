package dev.chorus.miner.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;

/**
 * The one JSON form the protocol writes: UTF-8, no insignificant whitespace, fields in declared
 * order, absent optionals omitted. Reading is lenient about whitespace and unknown fields, because
 * the signature covers the raw bytes, not a re-serialisation. A missing field reads as null (or 0), so
 * optional fields may be left out; the records' constructors refuse what is required.
 */
public final class CanonicalJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
            .build();

    private CanonicalJson() {
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
        T value;
        try {
            value = MAPPER.readValue(json, type);
        } catch (IOException | RuntimeException e) {
            throw new MalformedMessageException(describe(e), e);
        }
        if (value == null) {
            throw new MalformedMessageException("the body is JSON null or empty; send a JSON object");
        }
        return value;
    }

    private static String describe(Exception e) {
        if (e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
            String field = mismatch.getPath().get(mismatch.getPath().size() - 1).getFieldName();
            if (field != null) {
                return "field '" + field + "' is missing or has the wrong type";
            }
        }
        Throwable cause = e;
        while (cause.getCause() != null && !(cause instanceof IllegalArgumentException)) {
            cause = cause.getCause();
        }
        String message = cause instanceof IllegalArgumentException ? cause.getMessage() : e.getMessage();
        int newline = message == null ? -1 : message.indexOf('\n');
        return newline < 0 ? String.valueOf(message) : message.substring(0, newline);
    }
}
