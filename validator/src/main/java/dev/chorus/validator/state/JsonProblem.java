package dev.chorus.validator.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;

/** What is wrong with a JSON document, in Jackson's own words on one line and with the field at fault. */
final class JsonProblem {

    private JsonProblem() {
    }

    static String describe(JsonProcessingException e) {
        if (e instanceof ValueInstantiationException refused && refused.getCause() != null
                && refused.getCause().getMessage() != null) {
            // a value a record's own checks refuse: their words say what is wrong
            return refused.getCause().getMessage() + field(e);
        }
        // Jackson's advice on its own settings ("set DeserializationFeature... to allow", "but could if coercion was
        // enabled") means nothing to an operator; its "null" is also what it says of a field left out.
        String message = e.getOriginalMessage().lines().findFirst().orElse("unreadable")
                .replaceAll(" \\((set|but could) [^()]*\\)", "")
                .replaceFirst("^Cannot map `null` into type `(\\w+)`", "`$1` value missing or null");
        return message + field(e);
    }

    private static String field(JsonProcessingException e) {
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            StringBuilder field = new StringBuilder();
            for (JsonMappingException.Reference step : mapping.getPath()) {
                if (step.getFieldName() == null) {
                    field.append('[').append(step.getIndex()).append(']');
                } else {
                    field.append(field.isEmpty() ? "" : ".").append(step.getFieldName());
                }
            }
            return " in " + field;
        }
        return "";
    }
}
