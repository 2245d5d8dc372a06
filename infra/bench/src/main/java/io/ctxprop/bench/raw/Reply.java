package io.ctxprop.bench.raw;

import io.ctxprop.bench.http.Json;
import java.io.IOException;
import tools.jackson.databind.JsonNode;

/** A model's answer as the gateway replies with it: {@code {"response": ..., "model": ...}}. */
record Reply(String response, String model) {

    String json() {
        return "{\"response\":" + Json.quote(response) + ",\"model\":" + Json.quote(model) + "}";
    }

    /** The gateway's answer when the model call failed; {@link #parse} refuses it. */
    static String failure(String message) {
        return "{\"error\":" + Json.quote(message == null ? "model call failed" : message) + "}";
    }

    /** @throws IOException when {@code json} is not a reply (an error reply included) */
    static Reply parse(String json) throws IOException {
        JsonNode reply;
        try {
            reply = Json.read(json);
        } catch (RuntimeException notJson) {
            throw new IOException("the gateway's reply is not JSON", notJson);
        }
        String response = Json.text(reply, "response");
        if (response == null) {
            throw new IOException("the gateway answered no response: " + json);
        }
        String model = Json.text(reply, "model");
        return new Reply(response, model == null ? "" : model);
    }
}
