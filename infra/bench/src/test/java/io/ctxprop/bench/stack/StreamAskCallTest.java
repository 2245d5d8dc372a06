package io.ctxprop.bench.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ctxprop.bench.http.JdkHttp;
import io.ctxprop.bench.load.Answer;
import io.ctxprop.bench.load.Outcome;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The load generator's reading of {@code /api/ask/stream}, against an application that writes chosen event streams. */
class StreamAskCallTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final Duration PAUSE = Duration.ofMillis(60);

    private final CountDownLatch released = new CountDownLatch(1);
    private HttpServer server;

    @AfterEach
    void stop() {
        released.countDown();
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void timesTheFirstChunkFromTheRequestAndCountsTheChunks() throws Exception {
        serve(List.of(PAUSE, chunk("http", "Hello "), PAUSE, chunk("http", "stream"), PAUSE, chunk("http", "ed \\\"world\\\""),
                answer("http", "Hello streamed \\\"world\\\""), done()));
        var call = call(AskPath.HTTP, Duration.ofSeconds(10));

        long began = System.nanoTime();
        Answer answer = call.call();
        long took = System.nanoTime() - began;

        assertThat(answer.outcome()).isEqualTo(Outcome.OK);
        assertThat(answer.chunks()).isEqualTo(3);
        assertThat(answer.firstChunkNanos()).as("after the first pause, before the others")
                .isGreaterThanOrEqualTo(PAUSE.toNanos()).isLessThan(took - PAUSE.toNanos());
        assertThat(call.traceIds()).containsExactly(TRACE_ID);
        assertThat(call.mismatches()).isZero();
        assertThat(call.firstProblem()).isNull();
    }

    @Test
    void chunksThatDoNotAddUpToTheAnswerAreAnErrorCountedApart() throws Exception {
        serve(List.of(chunk("kafka", "Hello "), chunk("kafka", "world"), answer("kafka", "Hello there"), done()));
        var call = call(AskPath.KAFKA, Duration.ofSeconds(10));

        assertThat(call.call().outcome()).isEqualTo(Outcome.ERROR);
        assertThat(call.mismatches()).isEqualTo(1);
        assertThat(call.firstProblem()).contains("\"Hello world\"", "\"Hello there\"");
        assertThat(call.traceIds()).isEmpty();
    }

    @Test
    void bothTransportsNeedAnAnswerEachFromTheirOwnChunks() throws Exception {
        serve(List.of(chunk("http", "A "), chunk("kafka", "B "), chunk("kafka", "b"), chunk("http", "a"),
                answer("kafka", "B b"), answer("http", "A a"), done()));

        Answer answer = call(AskPath.BOTH, Duration.ofSeconds(10)).call();

        assertThat(answer.outcome()).isEqualTo(Outcome.OK);
        assertThat(answer.chunks()).isEqualTo(4);
    }

    @Test
    void fewerAnswersThanThePathGivesIsAnError() throws Exception {
        serve(List.of(chunk("http", "A"), answer("http", "A"), done()));

        assertThat(call(AskPath.BOTH, Duration.ofSeconds(10)).call().outcome()).isEqualTo(Outcome.ERROR);
    }

    @Test
    void anErrorEventIsAnErrorOrATimeoutAsItsStatusSays() throws Exception {
        serve(List.of(chunk("kafka", "Hel"), error(504), done()));
        assertThat(call(AskPath.KAFKA, Duration.ofSeconds(10)).call().outcome()).isEqualTo(Outcome.TIMEOUT);
        server.stop(0);

        serve(List.of(error(502), done()));
        assertThat(call(AskPath.HTTP, Duration.ofSeconds(10)).call().outcome()).isEqualTo(Outcome.ERROR);
    }

    @Test
    void aStreamThatEndsWithoutDoneOrWithoutAChunkIsAnError() throws Exception {
        serve(List.of(chunk("http", "Hello"), answer("http", "Hello")));
        var call = call(AskPath.HTTP, Duration.ofSeconds(10));
        assertThat(call.call().outcome()).isEqualTo(Outcome.ERROR);
        assertThat(call.firstProblem()).contains("without a done event");
        server.stop(0);

        serve(List.of(answer("http", ""), done()));
        assertThat(call(AskPath.HTTP, Duration.ofSeconds(10)).call().outcome()).isEqualTo(Outcome.ERROR);
    }

    @Test
    void aStreamThatStallsIsATimeoutAndLeavesTheClientFreeForTheNextRequest() throws Exception {
        serve(List.of(chunk("http", "Hel"), released));
        var call = call(AskPath.HTTP, Duration.ofMillis(500));

        long began = System.nanoTime();
        assertThat(call.call().outcome()).isEqualTo(Outcome.TIMEOUT);

        assertThat(Duration.ofNanos(System.nanoTime() - began)).isBetween(Duration.ofMillis(450), Duration.ofSeconds(5));
        assertThat(Thread.currentThread().isInterrupted()).as("no interrupt left behind").isFalse();
        server.stop(0);
        serve(List.of(chunk("http", "Hi"), answer("http", "Hi"), done()));
        assertThat(call(AskPath.HTTP, Duration.ofMillis(500)).call().outcome()).isEqualTo(Outcome.OK);
    }

    @Test
    void badInputAnsweredBeforeAnyStreamIsAnError() throws Exception {
        server = JdkHttp.serve(0, Map.of("/api/ask/stream", exchange -> JdkHttp.respond(exchange, 400,
                "application/problem+json", "{\"status\":400}")));

        var call = call(AskPath.HTTP, Duration.ofSeconds(10));
        assertThat(call.call().outcome()).isEqualTo(Outcome.ERROR);
        assertThat(call.firstProblem()).isEqualTo("status 400");
    }

    private StreamAskCall call(AskPath path, Duration timeout) {
        return new StreamAskCall(AskCall.client(), "http://127.0.0.1:" + server.getAddress().getPort(), path,
                "a \"quoted\" prompt", timeout);
    }

    /** Serves {@code /api/ask/stream}: each step an event to write and flush, a pause, or a latch to wait on. */
    private void serve(List<Object> steps) throws IOException {
        server = JdkHttp.serve(0, Map.of("/api/ask/stream", exchange -> stream(exchange, steps)));
    }

    private void stream(HttpExchange exchange, List<Object> steps) throws IOException {
        JdkHttp.body(exchange);
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            for (Object step : steps) {
                switch (step) {
                    case String event -> {
                        out.write(event.getBytes(StandardCharsets.UTF_8));
                        out.flush();
                    }
                    // a pause is a wait on the latch the test's end releases, so a stopped stub stops pausing
                    case Duration pause -> await(released, pause);
                    case CountDownLatch latch -> await(latch, Duration.ofSeconds(30));
                    default -> throw new IllegalArgumentException(step.toString());
                }
            }
        }
    }

    private static String chunk(String transport, String text) {
        return "event: chunk\ndata: {\"transport\":\"" + transport + "\",\"text\":\"" + text + "\"}\n\n";
    }

    private static String answer(String transport, String text) {
        return "event: answer\ndata: {\"transport\":\"" + transport + "\",\"text\":\"" + text
                + "\",\"model\":\"stand-in\",\"latencyMs\":12,\"firstChunkMs\":3}\n\n";
    }

    private static String error(int status) {
        return "event: error\ndata: {\"type\":\"about:blank\",\"title\":\"Bad Gateway\",\"status\":" + status
                + ",\"detail\":\"the model failed\",\"traceId\":\"" + TRACE_ID + "\",\"transport\":\"kafka\"}\n\n";
    }

    private static String done() {
        return "event: done\ndata: {\"traceId\":\"" + TRACE_ID + "\"}\n\n";
    }


    private static void await(CountDownLatch latch, Duration atMost) throws IOException {
        try {
            latch.await(atMost.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
