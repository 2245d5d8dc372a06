package io.ctxprop.systemtests;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OpenAI-compatible model server that misbehaves on request, by the prompt's first word:
 * {@code fault-429} (rate-limited once, with Retry-After, then answers), {@code fault-500},
 * {@code fault-slow} (answers after the client's deadline), {@code fault-reset} (closes the connection
 * without an answer), {@code fault-malformed} (a 200 whose JSON is broken); anything else is answered,
 * after {@code latency}. It counts the answers it gave, so a test can count model calls.
 */
final class ModelFaultStub implements AutoCloseable {

    /** The user prompt as the tests write it: the fault, then "request N" (the system prompt never matches). */
    private static final java.util.regex.Pattern PROMPT = java.util.regex.Pattern.compile("(fault-[a-z0-9]+|ok) request \\d+");

    private final HttpServer server;
    private final Map<String, AtomicInteger> rateLimited = new ConcurrentHashMap<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    private final Duration slow;
    private final Duration latency;
    private final AtomicInteger answered = new AtomicInteger();

    ModelFaultStub(Duration slow) throws IOException {
        this(slow, Duration.ZERO);
    }

    /** @param latency how long every ordinary answer takes */
    ModelFaultStub(Duration slow, Duration latency) throws IOException {
        this.slow = slow;
        this.latency = latency;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/v1/chat/completions", this::handle);
        server.start();
    }

    /** Completions answered with a 200 (rate-limited, failed and abandoned calls are not counted). */
    int answered() {
        return answered.get();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        var marker = PROMPT.matcher(body);
        String prompt = marker.find() ? marker.group() : "ok";
        String fault = prompt.split(" ")[0];
        try {
            switch (fault) {
                case "fault-429" -> {
                    if (rateLimited.computeIfAbsent(prompt, key -> new AtomicInteger()).getAndIncrement() == 0) {
                        exchange.getResponseHeaders().set("Retry-After", "0");
                        send(exchange, 429, "{\"error\":{\"message\":\"slow down\",\"type\":\"rate_limit\"}}");
                    } else {
                        answer(exchange, prompt);
                    }
                }
                case "fault-500" -> send(exchange, 500, "{\"error\":{\"message\":\"boom\",\"type\":\"server_error\"}}");
                case "fault-slow" -> {
                    if (!closing.await(slow.toMillis(), TimeUnit.MILLISECONDS)) {
                        answer(exchange, prompt);
                    }
                }
                case "fault-reset" -> {
                    // no answer at all: the exchange is closed below without a status line
                }
                case "fault-malformed" -> send(exchange, 200, "{\"id\":\"x\",\"choices\":[{\"message\":");
                default -> {
                    if (latency.isZero() || !closing.await(latency.toMillis(), TimeUnit.MILLISECONDS)) {
                        answer(exchange, prompt);
                    }
                }
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        } catch (IOException clientGone) {
            // the client gave up (its deadline passed)
        } finally {
            exchange.close();
        }
    }

    private void answer(HttpExchange exchange, String prompt) throws IOException {
        send(exchange, 200, completion(prompt));
        answered.incrementAndGet();
    }

    private static String completion(String prompt) {
        return """
                {"id":"chatcmpl-fault","object":"chat.completion","created":1700000000,"model":"fault-model",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"answered %s"},"finish_reason":"stop","logprobs":null}],
                 "usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}}""".formatted(prompt.length());
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
    }
}
