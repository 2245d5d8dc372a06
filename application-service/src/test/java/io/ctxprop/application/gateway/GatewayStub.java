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

/**
 * A stand-in for the gateway's {@code POST /process} and {@code POST /process/stream} over real HTTP,
 * keeping the headers each request brought. The stream speaks the gateway's event-stream contract:
 * the events the test chose, paced, or chunks without end until the reader closes the connection.
 */
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
    private volatile List<String[]> events = List.of();
    private volatile Duration pace = Duration.ZERO;
    private volatile boolean endless;
    private volatile CountDownLatch streamReaderLeft = new CountDownLatch(1);

    public GatewayStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/process", this::handle);
        server.createContext("/process/stream", this::handleStream);
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

    /**
     * The next streams answer with {@code events} (name, JSON data), each followed by a pause of {@code pace}; with
     * {@code endless}, chunks follow them one every {@code pace} until the reader goes away.
     */
    public void willStream(List<String[]> events, Duration pace, boolean endless) {
        this.events = List.copyOf(events);
        this.pace = pace;
        this.endless = endless;
        this.streamReaderLeft = new CountDownLatch(1);
        received.clear();
    }

    /** True once a stream's write failed because its reader (the application) closed the connection. */
    public boolean streamReaderLeft() {
        return streamReaderLeft.getCount() == 0;
    }

    public static String[] event(String name, String data) {
        return new String[] {name, data};
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

    private void handleStream(HttpExchange exchange) throws IOException {
        CountDownLatch left = streamReaderLeft;
        try (exchange) {
            received.add(new Received(Map.copyOf(exchange.getRequestHeaders()),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            var out = exchange.getResponseBody();
            out.flush();
            for (String[] event : events) {
                write(out, event[0], event[1]);
                if (paced()) {
                    return;
                }
            }
            for (int chunk = 0; endless; chunk++) {
                write(out, "chunk", "{\"text\":\"piece " + chunk + " \"}");
                if (paced()) {
                    return;
                }
            }
        } catch (IOException readerWentAway) {
            left.countDown();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits one pace; true when the stub is closing. */
    private boolean paced() throws InterruptedException {
        return !pace.isZero() && closing.await(pace.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static void write(java.io.OutputStream out, String name, String data) throws IOException {
        out.write(("event: " + name + "\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
    }
}
