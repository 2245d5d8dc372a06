package io.ctxprop.bench.raw;

import io.ctxprop.bench.http.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;

/**
 * The raw gateway's model call: the body the gateway's openai-java client sends (its model, its
 * system prompt, the user's text), posted with the JDK's HttpClient; no retries, no tracing.
 */
final class ModelClient {

    /** The gateway's model and system prompt when no OPENAI_MODEL is set. */
    static final String MODEL = "gpt-4o-mini";
    static final String SYSTEM_PROMPT = "You are a helpful assistant. Answer briefly.";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final HttpClient http;
    private final URI completions;

    /** @param baseUrl the model's OpenAI base URL, {@code /v1} included */
    ModelClient(HttpClient http, String baseUrl) {
        this.http = http;
        this.completions = URI.create(baseUrl.replaceAll("/+$", "") + "/chat/completions");
    }

    /** @throws IOException when the model does not answer with a completion */
    Reply ask(String text) throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(completions).timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"system\","
                        + "\"content\":\"" + SYSTEM_PROMPT + "\"},{\"role\":\"user\",\"content\":" + Json.quote(text) + "}]}"))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("the model answered " + response.statusCode() + ": " + response.body());
        }
        JsonNode completion;
        try {
            completion = Json.read(response.body());
        } catch (RuntimeException notJson) {
            throw new IOException("the model's answer is not JSON", notJson);
        }
        String content = Json.text(completion.path("choices").path(0).path("message"), "content");
        if (content == null) {
            throw new IOException("the model's answer has no content: " + response.body());
        }
        String model = Json.text(completion, "model");
        return new Reply(content, model == null ? MODEL : model);
    }
}
