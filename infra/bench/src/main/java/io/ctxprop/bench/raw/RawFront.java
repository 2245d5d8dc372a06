package io.ctxprop.bench.raw;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ctxprop.bench.http.JdkHttp;
import io.ctxprop.bench.http.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import tools.jackson.databind.JsonNode;

/**
 * The baseline's front, in the application's place: {@code POST /api/ask} with the application's
 * body ({@code text}, {@code transport} http, kafka or both) and answers in its shape, so the load
 * generator's {@code AskCall} drives it as it drives the application. It has no {@code traceId}:
 * nothing is traced here, and the call keeps none. 504 when a reply is late, 502 when a hop failed.
 */
public final class RawFront implements AutoCloseable {

    public static final Duration REPLY_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaHop kafka;
    private final Map<String, Hop> hops;
    private final ExecutorService both = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpServer server;

    /** @param gatewayUrl the raw gateway's {@code POST /process} URL */
    public RawFront(int port, String bootstrapServers, String gatewayUrl, Duration replyTimeout) throws IOException {
        this.kafka = new KafkaHop(bootstrapServers, replyTimeout);
        this.hops = Map.of("kafka", kafka, "http", new HttpHop(JdkHttp.client(), gatewayUrl, replyTimeout));
        this.server = JdkHttp.serve(port, Map.of("/api/ask", this::ask));
    }

    /** Arguments: port, ready-marker file, bootstrap servers, the raw gateway's URL ({@code http://host:port/process}). */
    public static void main(String[] args) throws Exception {
        RawKafka.createTopics(args[2]);
        var front = new RawFront(Integer.parseInt(args[0]), args[2], args[3], REPLY_TIMEOUT);
        Runtime.getRuntime().addShutdownHook(new Thread(front::close));
        Files.writeString(Path.of(args[1]), "ready");
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void ask(HttpExchange exchange) throws IOException {
        if (!JdkHttp.post(exchange)) {
            return;
        }
        String text;
        List<String> transports;
        try {
            JsonNode request = Json.read(JdkHttp.body(exchange));
            text = Json.text(request, "text");
            transports = transports(Json.text(request, "transport"));
        } catch (RuntimeException bad) {
            text = null;
            transports = List.of();
        }
        if (text == null || transports.isEmpty()) {
            JdkHttp.json(exchange, 400, Reply.failure("expected {\"text\": ..., \"transport\": \"http\"|\"kafka\"|\"both\"}"));
            return;
        }
        try {
            JdkHttp.json(exchange, 200, "{\"answers\":[" + String.join(",", answers(transports, text)) + "]}");
        } catch (TimeoutException late) {
            JdkHttp.json(exchange, 504, Reply.failure(late.getMessage()));
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
            JdkHttp.json(exchange, 503, Reply.failure("stopping"));
        } catch (Exception failed) {
            JdkHttp.json(exchange, 502, Reply.failure(String.valueOf(failed.getMessage())));
        }
    }

    /** The application's transports: http when absent; an empty list for one it does not know. */
    private static List<String> transports(String transport) {
        return switch (transport == null ? "http" : transport) {
            case "http" -> List.of("http");
            case "kafka" -> List.of("kafka");
            case "both" -> List.of("http", "kafka");
            default -> List.of();
        };
    }

    /** One hop on this thread; both at once, as the application asks them, the first failure winning. */
    private List<String> answers(List<String> transports, String text) throws Exception {
        if (transports.size() == 1) {
            return List.of(answer(transports.getFirst(), text));
        }
        Future<String> other = both.submit(() -> answer(transports.getLast(), text));
        String first = answer(transports.getFirst(), text);
        try {
            return List.of(first, other.get());
        } catch (ExecutionException failed) {
            throw failed.getCause() instanceof Exception cause ? cause : failed;
        }
    }

    private String answer(String transport, String text) throws Exception {
        Reply reply = hops.get(transport).ask(text);
        return "{\"transport\":\"" + transport + "\",\"text\":" + Json.quote(reply.response()) + ",\"model\":"
                + Json.quote(reply.model()) + "}";
    }

    @Override
    public void close() {
        server.stop(0);
        both.shutdownNow();
        try {
            kafka.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
