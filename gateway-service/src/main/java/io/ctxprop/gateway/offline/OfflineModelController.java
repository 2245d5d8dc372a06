package io.ctxprop.gateway.offline;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An OpenAI-compatible {@code /chat/completions} endpoint (plain and streamed) that the gateway's
 * own client calls over HTTP when no API key is set, so the offline path crosses the same wire,
 * retries and instrumentation as a real model.
 */
@RestController
class OfflineModelController {

    private final OfflineModelProperties properties;
    private final JsonMapper json;

    OfflineModelController(OfflineModelProperties properties, JsonMapper json) {
        this.properties = properties;
        this.json = json;
    }

    /**
     * Written on the request's own thread, straight to the response: each streamed chunk is flushed to
     * the socket as it is written (an asynchronous {@code StreamingResponseBody} reached the client all
     * at once at the end).
     */
    @PostMapping(path = OfflineModel.BASE_PATH + "/chat/completions", consumes = MediaType.APPLICATION_JSON_VALUE)
    void chatCompletions(@RequestBody JsonNode request, HttpServletResponse response) throws IOException, InterruptedException {
        List<String> userTexts = request.path("messages").valueStream()
                .filter(message -> "user".equals(message.path("role").asString("")))
                .map(message -> message.path("content").asString(""))
                .toList();
        if (userTexts.isEmpty()) {
            writeJson(response, 400, Map.of("error", Map.of("message", "messages must contain a user message", "type", "invalid_request_error")));
            return;
        }
        thinkFor();
        String prompt = String.join("\n", userTexts);
        int promptTokens = request.path("messages").valueStream()
                .mapToInt(message -> OfflineModel.tokens(message.path("content").asString(""))).sum();
        var exchange = new Exchange("chatcmpl-offline-" + UUID.randomUUID(), Instant.now().getEpochSecond(),
                OfflineModel.answer(prompt), promptTokens);
        if (request.path("stream").asBoolean(false)) {
            boolean includeUsage = request.path("stream_options").path("include_usage").asBoolean(false);
            response.setStatus(200);
            response.setContentType(MediaType.TEXT_EVENT_STREAM_VALUE);
            streamed(exchange, includeUsage, response.getOutputStream());
            return;
        }
        writeJson(response, 200, exchange.whole());
    }

    private void writeJson(HttpServletResponse response, int status, Map<String, Object> body) throws IOException {
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.getOutputStream().write(json.writeValueAsBytes(body));
    }

    private void thinkFor() throws InterruptedException {
        if (!properties.latency().isZero()) {
            Thread.sleep(properties.latency());
        }
    }

    private void pauseBetweenTokens() throws IOException {
        if (properties.tokenDelay().isZero()) {
            return;
        }
        try {
            Thread.sleep(properties.tokenDelay());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("Interrupted between tokens");
        }
    }

    private void streamed(Exchange exchange, boolean includeUsage, OutputStream out) throws IOException {
        boolean first = true;
        for (String piece : OfflineModel.chunks(exchange.answer())) {
            if (!first) {
                pauseBetweenTokens();
            }
            first = false;
            event(out, exchange.chunk(Map.of("role", "assistant", "content", piece), null, null));
        }
        event(out, exchange.chunk(Map.of(), "stop", null));
        if (includeUsage) {
            event(out, exchange.chunk(null, null, exchange.usage()));
        }
        out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private void event(OutputStream out, Map<String, Object> chunk) throws IOException {
        out.write(("data: " + json.writeValueAsString(chunk) + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** One answer, shaped as the OpenAI chat completion object and its stream chunks. */
    private record Exchange(String id, long created, String answer, int promptTokens) {

        Map<String, Object> usage() {
            int completionTokens = OfflineModel.tokens(answer);
            return Map.of("prompt_tokens", promptTokens, "completion_tokens", completionTokens,
                    "total_tokens", promptTokens + completionTokens);
        }

        Map<String, Object> whole() {
            var choice = new java.util.LinkedHashMap<String, Object>();
            choice.put("index", 0);
            choice.put("message", Map.of("role", "assistant", "content", answer));
            choice.put("finish_reason", "stop");
            choice.put("logprobs", null);
            return Map.of("id", id, "object", "chat.completion", "created", created, "model", OfflineModel.NAME,
                    "choices", List.of(choice), "usage", usage());
        }

        Map<String, Object> chunk(Map<String, Object> delta, String finishReason, Map<String, Object> usage) {
            var chunk = new java.util.LinkedHashMap<String, Object>();
            chunk.put("id", id);
            chunk.put("object", "chat.completion.chunk");
            chunk.put("created", created);
            chunk.put("model", OfflineModel.NAME);
            if (delta == null) {
                chunk.put("choices", List.of());
            } else {
                var choice = new java.util.LinkedHashMap<String, Object>();
                choice.put("index", 0);
                choice.put("delta", delta);
                choice.put("finish_reason", finishReason);
                chunk.put("choices", List.of(choice));
            }
            chunk.put("usage", usage);
            return chunk;
        }
    }
}
