package io.ctxprop.systemtests;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * An OpenAI-compatible model server that streams its answers (server-sent chunks), shaped by the
 * prompt's first word: {@code stream-ok} ({@link #OK_PIECES} pieces, {@link #PIECE_DELAY} apart),
 * {@code stream-stall} (three pieces, then nothing until the client gives up) and {@code stream-long}
 * ({@link #LONG_PIECES} pieces, for readers who leave). It records how every stream ended: written
 * to the end, or cut short by the client closing the connection, with the pieces written by then.
 */
final class StreamingModelStub implements AutoCloseable {

    static final int OK_PIECES = 12;
    static final int LONG_PIECES = 600;
    static final Duration PIECE_DELAY = Duration.ofMillis(40);
    static final String MODEL = "stream-model";
    private static final Pattern PROMPT = Pattern.compile("(stream-[a-z]+) request \\d+");

    /** How one stream ended. */
    record Ended(String kind, int piecesWritten, boolean cutShort) {
    }

    private final HttpServer server;
    private final CountDownLatch closing = new CountDownLatch(1);
    private final List<Ended> ended = new CopyOnWriteArrayList<>();
    private final AtomicInteger open = new AtomicInteger();

    StreamingModelStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/v1/chat/completions", this::handle);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** The whole answer a {@code stream-ok} prompt is given. */
    static String okAnswer() {
        return String.join("", pieces(OK_PIECES));
    }

    List<Ended> ended(String kind) {
        return ended.stream().filter(stream -> stream.kind().equals(kind)).toList();
    }

    /** Streams still being written. */
    int open() {
        return open.get();
    }

    private static List<String> pieces(int count) {
        return IntStream.range(0, count).mapToObj(i -> "piece " + i + (i + 1 < count ? ", " : ".")).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        var marker = PROMPT.matcher(body);
        String kind = marker.find() ? marker.group(1) : "stream-ok";
        int count = switch (kind) {
            case "stream-long" -> LONG_PIECES;
            case "stream-stall" -> 3;
            default -> OK_PIECES;
        };
        open.incrementAndGet();
        int written = 0;
        boolean cutShort = false;
        try {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            for (String piece : pieces(count)) {
                event(out, chunk("{\"role\":\"assistant\",\"content\":\"" + piece + "\"}", "null"));
                written++;
                if (closing.await(PIECE_DELAY.toMillis(), TimeUnit.MILLISECONDS)) {
                    return;
                }
            }
            if (kind.equals("stream-stall")) {
                closing.await(5, TimeUnit.MINUTES);
                // the client is expected to have given up long before: a write now finds the connection closed
                event(out, chunk("{\"content\":\"too late\"}", "null"));
                cutShort = true;
                return;
            }
            event(out, chunk("{}", "\"stop\""));
            event(out, "{\"id\":\"chatcmpl-stream\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"" + MODEL
                    + "\",\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":" + count + ",\"total_tokens\":" + (count + 3) + "}}");
            out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException clientGone) {
            cutShort = true;
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        } finally {
            ended.add(new Ended(kind, written, cutShort));
            open.decrementAndGet();
            exchange.close();
        }
    }

    private static String chunk(String delta, String finishReason) {
        return "{\"id\":\"chatcmpl-stream\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"" + MODEL
                + "\",\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":" + finishReason + "}]}";
    }

    private static void event(OutputStream out, String json) throws IOException {
        out.write(("data: " + json + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
    }

    @Override
    public String toString() {
        return ended.stream().map(Ended::toString).collect(Collectors.joining(", "));
    }
}
