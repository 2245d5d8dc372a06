package io.ctxprop.application.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** A stand-in for the gateway's {@code POST /process} over real HTTP, keeping the headers each request brought. */
public final class GatewayStub implements AutoCloseable {

    public record Received(Map<String, List<String>> headers, String body) {

        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().getFirst()).findFirst().orElse(null);
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile int status = 200;
    private volatile String body = "{\"response\":\"stub answer\",\"model\":\"stub-model\"}";
    private volatile Duration delay = Duration.ZERO;

    public GatewayStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/process", this::handle);
        server.start();
    }

    /** Starts a stub from a static initializer, where checked exceptions cannot go. */
    public static GatewayStub start() {
        try {
            return new GatewayStub();
        } catch (IOException failure) {
            throw new java.io.UncheckedIOException(failure);
        }
    }

    public String processUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/process";
    }

    public void willAnswer(int status, String body, Duration delay) {
        this.status = status;
        this.body = body;
        this.delay = delay;
        received.clear();
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            received.add(new Received(Map.copyOf(exchange.getRequestHeaders()),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            if (!delay.isZero() && closing.await(delay.toMillis(), TimeUnit.MILLISECONDS)) {
                return;
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", status < 300 ? "application/json" : "application/problem+json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        } catch (IOException callerWentAway) {
            // the application timed out and closed the connection: expected in the timeout scenario
        }
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
    }
}
