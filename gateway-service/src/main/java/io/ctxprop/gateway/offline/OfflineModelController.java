package io.ctxprop.gateway.offline;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
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

    @PostMapping(path = OfflineModel.BASE_PATH + "/chat/completions", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<StreamingResponseBody> chatCompletions(@RequestBody JsonNode request) throws InterruptedException {
        List<String> userTexts = request.path("messages").valueStream()
                .filter(message -> "user".equals(message.path("role").asString("")))
                .map(message -> message.path("content").asString(""))
                .toList();
        if (userTexts.isEmpty()) {
            return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_JSON).body(json(Map.of("error", Map.of(
                    "message", "messages must contain a user message", "type", "invalid_request_error"))));
        }
        thinkFor();
        String prompt = String.join("\n", userTexts);
        int promptTokens = request.path("messages").valueStream()
                .mapToInt(message -> OfflineModel.tokens(message.path("content").asString(""))).sum();
        var exchange = new Exchange("chatcmpl-offline-" + UUID.randomUUID(), Instant.now().getEpochSecond(),
                OfflineModel.answer(prompt), promptTokens);
        if (request.path("stream").asBoolean(false)) {
            boolean includeUsage = request.path("stream_options").path("include_usage").asBoolean(false);
            return ResponseEntity.ok().contentType(MediaType.TEXT_EVENT_STREAM).body(streamed(exchange, includeUsage));
        }
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(json(exchange.whole()));
    }

    /** Every answer is written as a stream body, so one handler serves the plain and the streamed shape. */
    private StreamingResponseBody json(Map<String, Object> body) {
        return out -> out.write(json.writeValueAsBytes(body));
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

    private StreamingResponseBody streamed(Exchange exchange, boolean includeUsage) {
        return out -> {
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
        };
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
