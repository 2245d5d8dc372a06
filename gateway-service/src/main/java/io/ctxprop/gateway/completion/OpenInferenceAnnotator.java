package io.ctxprop.gateway.completion;

import static io.ctxprop.telemetry.attributes.OpenInferenceAttributes.*;

import io.ctxprop.telemetry.ContentCapture;
import io.opentelemetry.api.trace.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Translates an OpenAI chat-completions exchange, as it went over the wire, into the OpenInference
 * attributes Phoenix and Arize render for an LLM span. Message content obeys {@link ContentCapture}.
 */
final class OpenInferenceAnnotator {

    private final JsonMapper json;
    private final ContentCapture capture;
    private final String provider;

    OpenInferenceAnnotator(JsonMapper json, ContentCapture capture, String provider) {
        this.json = json;
        this.capture = capture;
        this.provider = provider;
    }

    void annotateRequest(Span span, String body) {
        span.setAttribute(SPAN_KIND, KIND_LLM);
        span.setAttribute(LLM_PROVIDER, provider);
        span.setAttribute(LLM_SYSTEM, "openai");
        JsonNode request = parse(body);
        if (request == null) {
            return;
        }
        span.setAttribute(LLM_MODEL_NAME, request.path("model").asString(""));
        span.setAttribute(LLM_INVOCATION_PARAMETERS, invocationParameters(request));
        if (capture.inputs()) {
            span.setAttribute(INPUT_VALUE, body);
            span.setAttribute(INPUT_MIME_TYPE, MIME_JSON);
            int index = 0;
            for (JsonNode message : request.path("messages")) {
                span.setAttribute(inputMessageRole(index), message.path("role").asString(""));
                span.setAttribute(inputMessageContent(index), message.path("content").asString(""));
                index++;
            }
        }
    }

    void annotateResponse(Span span, String body) {
        JsonNode response = parse(body);
        if (response == null) {
            return;
        }
        List<Map.Entry<String, String>> messages = new ArrayList<>();
        for (JsonNode choice : response.path("choices")) {
            JsonNode message = choice.path("message");
            messages.add(Map.entry(message.path("role").asString("assistant"), message.path("content").asString("")));
        }
        annotateAnswer(span, response.path("model").asString(""), messages, response.path("usage"), body, MIME_JSON);
    }

    /** A streamed answer: server-sent events whose chunks carry pieces of each choice's content. */
    void annotateStream(Span span, String events) {
        StringBuilder content = new StringBuilder();
        String model = "";
        JsonNode usage = null;
        for (String line : events.split("\n")) {
            if (!line.startsWith("data:") || line.contains("[DONE]")) {
                continue;
            }
            JsonNode chunk = parse(line.substring("data:".length()).strip());
            if (chunk == null) {
                continue;
            }
            model = chunk.path("model").asString(model);
            for (JsonNode choice : chunk.path("choices")) {
                content.append(choice.path("delta").path("content").asString(""));
            }
            if (chunk.hasNonNull("usage")) {
                usage = chunk.get("usage");
            }
        }
        annotateAnswer(span, model, List.of(Map.entry("assistant", content.toString())), usage, content.toString(), MIME_TEXT);
    }

    private void annotateAnswer(Span span, String model, List<Map.Entry<String, String>> messages, JsonNode usage,
            String output, String outputMimeType) {
        if (!model.isEmpty()) {
            span.setAttribute(LLM_MODEL_NAME, model);
        }
        if (usage != null && usage.isObject()) {
            span.setAttribute(LLM_TOKEN_COUNT_PROMPT, usage.path("prompt_tokens").asLong(0));
            span.setAttribute(LLM_TOKEN_COUNT_COMPLETION, usage.path("completion_tokens").asLong(0));
            span.setAttribute(LLM_TOKEN_COUNT_TOTAL, usage.path("total_tokens").asLong(0));
        }
        if (capture.outputs()) {
            span.setAttribute(OUTPUT_VALUE, output);
            span.setAttribute(OUTPUT_MIME_TYPE, outputMimeType);
            for (int index = 0; index < messages.size(); index++) {
                span.setAttribute(outputMessageRole(index), messages.get(index).getKey());
                span.setAttribute(outputMessageContent(index), messages.get(index).getValue());
            }
        }
    }

    /** Everything in the request but the messages: model, temperature, limits, stream flags. */
    private String invocationParameters(JsonNode request) {
        var parameters = json.createObjectNode();
        request.properties().stream()
                .filter(field -> !field.getKey().equals("messages"))
                .forEach(field -> parameters.set(field.getKey(), field.getValue()));
        return json.writeValueAsString(parameters);
    }

    private JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return json.readTree(body);
        } catch (JacksonException malformed) {
            return null;
        }
    }
}
