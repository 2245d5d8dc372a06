package io.ctxprop.bench.stack;

import io.ctxprop.bench.http.Json;
import io.ctxprop.bench.load.Answer;
import io.ctxprop.bench.load.Outcome;
import io.ctxprop.bench.load.StreamedCall;
import io.ctxprop.telemetry.streaming.EventStreamReader;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import tools.jackson.databind.JsonNode;

/**
 * One {@code POST /api/ask/stream} over a path, read as a browser's script reads it: event by event,
 * as the bytes arrive. The time to first chunk runs from sending the request to the first
 * {@code chunk} event. A success is a 200 event stream that ends with {@code done}, with one
 * {@code answer} per transport of the path whose text is exactly its chunks put together, and no
 * {@code error}; chunks that do not add up to their answer are counted apart (as errors).
 */
public final class StreamAskCall implements StreamedCall {

    private static final Duration PRIMING = Duration.ofSeconds(2);

    private final HttpClient http;
    private final HttpRequest request;
    private final AskPath path;
    private final Duration timeout;
    private final Set<String> traceIds = ConcurrentHashMap.newKeySet();
    private final AtomicLong mismatches = new AtomicLong();
    private final AtomicReference<String> firstProblem = new AtomicReference<>();

    public StreamAskCall(HttpClient http, String applicationUrl, AskPath path, String text, Duration timeout) {
        this.http = http;
        this.path = path;
        this.timeout = timeout;
        this.request = HttpRequest.newBuilder(URI.create(applicationUrl + "/api/ask/stream"))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"text\":" + Json.quote(text) + ",\"transport\":\"" + path.transport() + "\",\"propagate\":true}"))
                .build();
    }

    @Override
    public Answer call() throws Exception {
        long sent = System.nanoTime();
        try (var deadline = new ReadDeadline(timeout)) {
            try {
                HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
                try (var events = new EventStreamReader(response.body())) {
                    if (response.statusCode() != 200) {
                        problem("status " + response.statusCode());
                        return Answer.of(response.statusCode() == 504 ? Outcome.TIMEOUT : Outcome.ERROR);
                    }
                    return read(events, sent);
                }
            } catch (HttpTimeoutException late) {
                return Answer.of(Outcome.TIMEOUT);
            } catch (IOException | InterruptedException failed) {
                if (deadline.passed()) {
                    return Answer.of(Outcome.TIMEOUT);
                }
                throw failed;
            }
        }
    }

    private Answer read(EventStreamReader events, long sent) throws IOException {
        long firstChunk = -1;
        int chunks = 0;
        int answers = 0;
        Outcome failed = null;
        Map<String, StringBuilder> texts = new HashMap<>();
        for (var event = events.next(); event != null; event = events.next()) {
            switch (event.name()) {
                case "chunk" -> {
                    if (firstChunk < 0) {
                        firstChunk = System.nanoTime() - sent;
                    }
                    chunks++;
                    JsonNode chunk = Json.read(event.data());
                    texts.computeIfAbsent(Json.text(chunk, "transport"), t -> new StringBuilder())
                            .append(Json.text(chunk, "text"));
                }
                case "answer" -> {
                    answers++;
                    JsonNode answer = Json.read(event.data());
                    String assembled = String.valueOf(texts.get(Json.text(answer, "transport")));
                    if (!assembled.equals(Json.text(answer, "text"))) {
                        mismatches.incrementAndGet();
                        problem("the chunks of " + Json.text(answer, "transport") + " make \"" + assembled
                                + "\", the answer is \"" + Json.text(answer, "text") + "\"");
                        failed = Outcome.ERROR;
                    }
                }
                case "error" -> {
                    problem("error event " + event.data());
                    if (failed == null) {
                        failed = Json.read(event.data()).path("status").asInt() == 504 ? Outcome.TIMEOUT : Outcome.ERROR;
                    }
                }
                case "done" -> {
                    if (failed != null) {
                        return Answer.of(failed);
                    }
                    if (answers != path.answers() || firstChunk < 0) {
                        problem(answers + " answer(s) in " + chunks + " chunk(s) over " + path.transport());
                        return Answer.of(Outcome.ERROR);
                    }
                    String traceId = Json.text(Json.read(event.data()), "traceId");
                    if (traceId != null) {
                        traceIds.add(traceId);
                    }
                    return Answer.streamed(firstChunk, chunks);
                }
                default -> {
                    // comments and other events: not the contract's, not counted
                }
            }
        }
        problem("the stream ended without a done event");
        return Answer.of(Outcome.ERROR);
    }

    private void problem(String what) {
        firstProblem.compareAndSet(null, what);
    }

    /** A few requests one after the other before the load: the path's first streams are start-up, not the steady state. */
    public void prime() throws Exception {
        long end = System.nanoTime() + PRIMING.toNanos();
        for (int i = 0; i < 20 && (i == 0 || System.nanoTime() < end); i++) {
            if (call().outcome() != Outcome.OK) {
                throw new IllegalStateException("the application does not stream over " + path.transport() + ": "
                        + firstProblem.get());
            }
        }
        traceIds.clear();
    }

    public AskPath path() {
        return path;
    }

    public Set<String> traceIds() {
        return traceIds;
    }

    /** Answers whose chunks did not add up to their text (counted among the errors). */
    public long mismatches() {
        return mismatches.get();
    }

    /** What went wrong first, for the progress line; null when nothing did. */
    public String firstProblem() {
        return firstProblem.get();
    }
}
