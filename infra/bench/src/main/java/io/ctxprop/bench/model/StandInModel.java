package io.ctxprop.bench.model;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ctxprop.bench.http.JdkHttp;
import io.ctxprop.bench.http.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The model every scenario calls: a small OpenAI-compatible server on the JDK's HTTP server, with
 * {@code POST /v1/chat/completions} plain and streamed and {@code GET /v1/models}. It waits
 * {@code latency} before answering and {@code tokenDelay} between streamed words, on the exchange's
 * virtual thread, so a thousand calls waiting at once hold no platform thread.
 */
public final class StandInModel implements AutoCloseable {

    private final HttpServer server;
    /** Settable while it runs ({@code POST /bench/latency}): a stack warms on quick answers, then is measured on slow ones. */
    private volatile Duration latency;
    private final Duration tokenDelay;
    private final int answerWords;
    private final AtomicLong ids = new AtomicLong();

    /** The harness's control: the body is the latency of the answers from now on, in milliseconds. */
    public static final String LATENCY_PATH = "/bench/latency";

    private StandInModel(int port, Duration latency, Duration tokenDelay, int answerWords) throws IOException {
        this.latency = latency;
        this.tokenDelay = tokenDelay;
        this.answerWords = answerWords;
        this.server = JdkHttp.serve(port, Map.of(
                "/v1/chat/completions", this::complete,
                LATENCY_PATH, this::setLatency,
                "/v1/models", exchange -> JdkHttp.json(exchange, 200,
                        "{\"object\":\"list\",\"data\":[{\"id\":\"stand-in\",\"object\":\"model\",\"created\":0,"
                                + "\"owned_by\":\"ctxprop-bench\"}]}")));
    }

    /** Serves on the loopback {@code port} (0 for any) until closed. */
    public static StandInModel start(int port, Duration latency, Duration tokenDelay) throws IOException {
        return start(port, latency, tokenDelay, 0);
    }

    /** As {@link #start(int, Duration, Duration)}, every answer {@code answerWords} words long (0: its own length). */
    public static StandInModel start(int port, Duration latency, Duration tokenDelay, int answerWords) throws IOException {
        return new StandInModel(port, latency, tokenDelay, answerWords);
    }

    /**
     * Arguments: port, ready-marker file, latency in ms, per-token delay in ms for streamed answers, and
     * optionally the words of every answer (its own length when absent or 0).
     */
    public static void main(String[] args) throws Exception {
        var model = start(Integer.parseInt(args[0]), Duration.ofMillis(Long.parseLong(args[2])),
                Duration.ofMillis(Long.parseLong(args[3])), args.length > 4 ? Integer.parseInt(args[4]) : 0);
        Runtime.getRuntime().addShutdownHook(new Thread(model::close));
        Files.writeString(Path.of(args[1]), "ready");
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The base URL an OpenAI client is given, {@code /v1} included. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port() + "/v1";
    }

    private void setLatency(HttpExchange exchange) throws IOException {
        if (!JdkHttp.post(exchange)) {
            return;
        }
        long millis;
        try {
            millis = Long.parseLong(JdkHttp.body(exchange).strip());
        } catch (NumberFormatException bad) {
            JdkHttp.respond(exchange, 400, "text/plain", "the body is the latency in milliseconds");
            return;
        }
        if (millis < 0) {
            JdkHttp.respond(exchange, 400, "text/plain", "the latency is not negative");
            return;
        }
        latency = Duration.ofMillis(millis);
        JdkHttp.respond(exchange, 200, "text/plain", latency.toString());
    }

    private void complete(HttpExchange exchange) throws IOException {
        if (!JdkHttp.post(exchange)) {
            return;
        }
        ChatRequest request;
        try {
            request = ChatRequest.parse(JdkHttp.body(exchange));
        } catch (IllegalArgumentException bad) {
            JdkHttp.json(exchange, 400, "{\"error\":{\"message\":" + Json.quote(bad.getMessage())
                    + ",\"type\":\"invalid_request_error\"}}");
            return;
        }
        var answer = StandInAnswer.to(request.prompt(), answerWords);
        String id = "chatcmpl-stand-in-" + ids.incrementAndGet();
        long created = Instant.now().getEpochSecond();
        pause(latency);
        if (request.stream()) {
            stream(exchange, request, answer, id, created);
        } else {
            JdkHttp.json(exchange, 200, CompletionJson.completion(id, created, request.model(), answer));
        }
    }

    private void stream(HttpExchange exchange, ChatRequest request, StandInAnswer answer, String id, long created)
            throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            List<String> words = answer.chunks();
            for (int i = 0; i < words.size(); i++) {
                if (i > 0) {
                    pause(tokenDelay);
                }
                event(out, CompletionJson.wordChunk(id, created, request.model(), words.get(i), i == 0));
            }
            event(out, CompletionJson.finalChunk(id, created, request.model()));
            if (request.includeUsage()) {
                event(out, CompletionJson.usageChunk(id, created, request.model(), answer));
            }
            event(out, "[DONE]");
        }
    }

    /** One server-sent event, flushed at once: a streamed answer arrives word by word. */
    private static void event(OutputStream out, String data) throws IOException {
        out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void pause(Duration delay) throws IOException {
        if (delay.isPositive()) {
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while answering", e);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
