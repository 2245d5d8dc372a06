package io.ctxprop.bench.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * The JDK's own HTTP server and client as the bare baseline and the stand-in model use them: a
 * virtual thread per exchange, so a handler may block (a model's latency, a Kafka reply) without
 * holding a platform thread, and HTTP/1.1 with keep-alive on the client side.
 */
public final class JdkHttp {

    /** Room for a burst of 1,000 callers connecting at once, as Tomcat's accept queue has. */
    private static final int BACKLOG = 1024;

    static {
        // Read once, when the server's configuration class loads. The defaults close any keep-alive
        // connection beyond 200 idle ones and any idle for 30 s, the client's own keep-alive: a
        // client reusing one as the server closes it sees a failed POST, which it does not retry.
        System.setProperty("sun.net.httpserver.maxIdleConnections",
                System.getProperty("sun.net.httpserver.maxIdleConnections", "100000"));
        System.setProperty("sun.net.httpserver.idleInterval", System.getProperty("sun.net.httpserver.idleInterval", "300"));
        // Tomcat's default: with Nagle on, the body waits behind the headers for the peer's delayed ACK.
        System.setProperty("sun.net.httpserver.nodelay", System.getProperty("sun.net.httpserver.nodelay", "true"));
    }

    private JdkHttp() {
    }

    /** A started server on the loopback {@code port} (0 for any); every other path answers 404. */
    public static HttpServer serve(int port, Map<String, HttpHandler> handlers) throws IOException {
        var server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), BACKLOG);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> respond(exchange, 404, "text/plain", "not found"));
        handlers.forEach((path, handler) -> server.createContext(path, exchange -> {
            try (exchange) {
                // A context matches its path as a prefix: only the path itself is served.
                if (!exchange.getRequestURI().getPath().equals(path)) {
                    respond(exchange, 404, "text/plain", "not found");
                } else {
                    handler.handle(exchange);
                }
            }
        }));
        server.start();
        return server;
    }

    public static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    }

    public static String body(HttpExchange exchange) throws IOException {
        return new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    }

    public static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    public static void json(HttpExchange exchange, int status, String body) throws IOException {
        respond(exchange, status, "application/json", body);
    }

    /** True when the exchange is a POST; answers 405 when it is not. */
    public static boolean post(HttpExchange exchange) throws IOException {
        if ("POST".equals(exchange.getRequestMethod())) {
            return true;
        }
        exchange.getResponseHeaders().set("Allow", "POST");
        respond(exchange, 405, "text/plain", "method not allowed");
        return false;
    }
}
