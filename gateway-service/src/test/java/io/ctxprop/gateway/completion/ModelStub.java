package io.ctxprop.gateway.completion;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * An OpenAI-compatible model server for tests, over real HTTP: answers are queued per test (the last
 * one repeats), and every request is kept with the headers that arrived.
 */
public final class ModelStub implements AutoCloseable {

    /**
     * @param pieceDelay  written event by event with this pause between events (chunked), when not zero
     * @param stallAfter  after this many events, write nothing more until the stub closes (-1: never stall)
     */
    public record Reply(int status, String contentType, String body, Map<String, String> headers, Duration delay,
            Duration pieceDelay, int stallAfter) {

        public Reply(int status, String contentType, String body, Map<String, String> headers, Duration delay) {
            this(status, contentType, body, headers, delay, Duration.ZERO, -1);
        }

        /** Streamed, one event every {@code pieceDelay}: a model writing slowly. */
        public Reply paced(Duration pause) {
            return new Reply(status, contentType, body, headers, delay, pause, stallAfter);
        }

        /** Streamed event by event, then silent after {@code events} of them: a model that stalls mid-stream. */
        public Reply stallingAfter(int events) {
            return new Reply(status, contentType, body, headers, delay, pieceDelay, events);
        }

        boolean eventByEvent() {
            return !pieceDelay.isZero() || stallAfter >= 0;
        }

        public static Reply completion(String text) {
            return json(200, """
                    {"id":"chatcmpl-stub","object":"chat.completion","created":1700000000,"model":"stub-model-1",
                     "choices":[{"index":0,"message":{"role":"assistant","content":"%s"},"finish_reason":"stop","logprobs":null}],
                     "usage":{"prompt_tokens":11,"completion_tokens":7,"total_tokens":18}}""".formatted(text));
        }

        public static Reply streamed(String... pieces) {
            StringBuilder events = new StringBuilder();
            for (int index = 0; index < pieces.length; index++) {
                String finishReason = index == pieces.length - 1 ? "\"stop\"" : "null";
                events.append("data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"stub-model-1\",")
                        .append("\"choices\":[{\"index\":0,\"delta\":{\"content\":\"").append(pieces[index])
                        .append("\"},\"finish_reason\":").append(finishReason).append("}]}\n\n");
            }
            events.append("data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"stub-model-1\",")
                    .append("\"choices\":[],\"usage\":{\"prompt_tokens\":11,\"completion_tokens\":").append(pieces.length)
                    .append(",\"total_tokens\":").append(11 + pieces.length).append("}}\n\n");
            events.append("data: [DONE]\n\n");
            return new Reply(200, "text/event-stream", events.toString(), Map.of(), Duration.ZERO);
        }

        public static Reply json(int status, String body) {
            return new Reply(status, "application/json", body, Map.of(), Duration.ZERO);
        }

        public static Reply error(int status) {
            return json(status, "{\"error\":{\"message\":\"stub failure " + status + "\",\"type\":\"server_error\"}}");
        }

        public Reply withHeader(String name, String value) {
            return new Reply(status, contentType, body, Map.of(name, value), delay, pieceDelay, stallAfter);
        }

        public Reply after(Duration wait) {
            return new Reply(status, contentType, body, headers, wait, pieceDelay, stallAfter);
        }
    }

    public record Request(String path, Map<String, List<String>> headers, String body) {

        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().getFirst()).findFirst().orElse(null);
        }
    }

    private final HttpServer server;
    private final Deque<Reply> replies = new ArrayDeque<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    private final java.util.concurrent.atomic.AtomicInteger cutShort = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger finished = new java.util.concurrent.atomic.AtomicInteger();
    private volatile CountDownLatch gate = new CountDownLatch(0);

    public ModelStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts a stub from a static initializer, where checked exceptions cannot go. */
    public static ModelStub start() {
        try {
            return new ModelStub();
        } catch (IOException failure) {
            throw new java.io.UncheckedIOException(failure);
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** Replaces the queue: the replies are given in order, and the last one is given from then on. */
    public synchronized void willReply(Reply... next) {
        replies.clear();
        replies.addAll(List.of(next));
        requests.clear();
    }

    /** From now on every request waits, unanswered, until {@link #release()}: a model that stalls. */
    public void stall() {
        gate = new CountDownLatch(1);
    }

    public void release() {
        gate.countDown();
    }

    /** Streamed answers whose connection the client closed before the stub had written them whole. */
    public int streamsCutShort() {
        return cutShort.get();
    }

    /** Answers written whole. */
    public int answersFinished() {
        return finished.get();
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    private synchronized Reply nextReply() {
        return replies.size() > 1 ? replies.removeFirst() : replies.getFirst();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(new Request(exchange.getRequestURI().getPath(), Map.copyOf(exchange.getRequestHeaders()), body));
            gate.await();
            Reply reply = nextReply();
            if (!reply.delay().isZero() && closing.await(reply.delay().toMillis(), TimeUnit.MILLISECONDS)) {
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", reply.contentType());
            reply.headers().forEach(exchange.getResponseHeaders()::set);
            if (reply.eventByEvent()) {
                writeEventByEvent(exchange, reply);
                return;
            }
            byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(reply.status(), bytes.length);
            exchange.getResponseBody().write(bytes);
            finished.incrementAndGet();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        } catch (IOException clientWentAway) {
            // the client timed out and closed the connection: expected in the timeout scenario
        }
    }

    private void writeEventByEvent(HttpExchange exchange, Reply reply) throws IOException, InterruptedException {
        exchange.sendResponseHeaders(reply.status(), 0);
        var out = exchange.getResponseBody();
        String[] events = reply.body().split("(?<=\n\n)");
        try {
            for (int index = 0; index < events.length; index++) {
                if (index == reply.stallAfter()) {
                    closing.await();
                    return;
                }
                if (index > 0 && !reply.pieceDelay().isZero() && closing.await(reply.pieceDelay().toMillis(), TimeUnit.MILLISECONDS)) {
                    return;
                }
                out.write(events[index].getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
            finished.incrementAndGet();
        } catch (IOException connectionClosed) {
            cutShort.incrementAndGet();
        }
    }

    @Override
    public void close() {
        closing.countDown();
        gate.countDown();
        server.stop(0);
    }
}
