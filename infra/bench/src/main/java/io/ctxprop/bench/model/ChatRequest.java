package io.ctxprop.bench.model;

import io.ctxprop.bench.http.Json;
import tools.jackson.databind.JsonNode;

/**
 * What the stand-in model reads of a {@code POST /v1/chat/completions} body.
 *
 * @param model        the model asked for, or {@code stand-in} when the body names none
 * @param prompt       the last user message's text (its text parts joined, when it has parts)
 * @param stream       whether the answer is to be streamed as server-sent events
 * @param includeUsage whether a streamed answer ends with a usage chunk
 */
record ChatRequest(String model, String prompt, boolean stream, boolean includeUsage) {

    /** @throws IllegalArgumentException when the body is not a chat completion request */
    static ChatRequest parse(String body) {
        JsonNode root;
        try {
            root = Json.read(body);
        } catch (RuntimeException notJson) {
            throw new IllegalArgumentException("the body is not JSON", notJson);
        }
        if (!root.path("messages").isArray()) {
            throw new IllegalArgumentException("the body has no messages");
        }
        String model = Json.text(root, "model");
        return new ChatRequest(model == null || model.isBlank() ? "stand-in" : model, lastUserText(root.path("messages")),
                root.path("stream").asBoolean(false), root.path("stream_options").path("include_usage").asBoolean(false));
    }

    private static String lastUserText(JsonNode messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            JsonNode message = messages.get(i);
            if ("user".equals(Json.text(message, "role"))) {
                JsonNode content = message.path("content");
                if (content.isString()) {
                    return content.stringValue();
                }
                var text = new StringBuilder();
                content.forEach(part -> {
                    if ("text".equals(Json.text(part, "type"))) {
                        text.append(Json.text(part, "text"));
                    }
                });
                return text.toString();
            }
        }
        return "";
    }
}
