package io.ctxprop.bench.http;

import tools.jackson.core.io.JsonStringEncoder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON for the bare baseline's fixed shapes: a tree to read a body, a quoted string to write one.
 * The bodies it writes are built as strings, which is all their fixed shapes need.
 */
public final class Json {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private Json() {
    }

    /** @throws tools.jackson.core.JacksonException when {@code json} is not JSON */
    public static JsonNode read(String json) {
        return MAPPER.readTree(json);
    }

    /** {@code value} as a JSON string literal, quotes included. */
    public static String quote(String value) {
        var quoted = new StringBuilder(value.length() + 2).append('"');
        JsonStringEncoder.getInstance().quoteAsString(value, quoted);
        return quoted.append('"').toString();
    }

    /** The text of a string field, or null when it is absent or not a string. */
    public static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isString() ? value.stringValue() : null;
    }
}
