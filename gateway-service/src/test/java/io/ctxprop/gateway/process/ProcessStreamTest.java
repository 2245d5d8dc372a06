package io.ctxprop.gateway.process;

import static io.ctxprop.telemetry.testing.ProblemAssertions.assertProblem;
import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ctxprop.gateway.completion.ModelStub;
import io.ctxprop.gateway.completion.ModelStub.Reply;
import io.ctxprop.telemetry.streaming.EventStreamReader;
import io.ctxprop.telemetry.streaming.EventStreamReader.Event;
import io.ctxprop.telemetry.streaming.StreamingAttributes;
import io.ctxprop.telemetry.testing.InMemoryMetrics;
import io.ctxprop.telemetry.testing.InMemoryTracing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /process/stream} against a model server stubbed over HTTP that streams: the pieces
 * arrive as events in order and add up to the answer; bad input is refused before any stream; a
 * stalled model ends the stream with an error event and ERROR spans; a reader that leaves cancels
 * the model call (the model server sees its connection closed before it wrote the whole answer).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import({InMemoryTracing.class, InMemoryMetrics.class})
class ProcessStreamTest {

    static final String CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String CALLER_SPAN = "00f067aa0ba902b7";
    static final String TRACEPARENT = "00-" + CALLER_TRACE + "-" + CALLER_SPAN + "-01";
    static final JsonMapper JSON = JsonMapper.builder().build();

    static final ModelStub MODEL = ModelStub.start();

    @DynamicPropertySource
    static void modelServer(DynamicPropertyRegistry registry) {
        registry.add("openai.base-url", MODEL::baseUrl);
        registry.add("openai.api-key", () -> "sk-stream-test");
        registry.add("openai.timeout", () -> "1s");
        registry.add("openai.max-retries", () -> "2");
    }

    @Autowired
    InMemorySpanExporter spans;

    @Autowired
    InMemoryMetricReader metrics;

    @Value("${local.server.port}")
    int port;

    @BeforeEach
    void reset() {
        spans.reset();
    }

    @AfterAll
    static void stopStub() {
        MODEL.close();
    }

    @Test
    void streamsThePiecesInOrderThenTheWholeAnswer() throws Exception {
        MODEL.willReply(Reply.streamed("Hel", "lo, ", "wor", "ld"));

        List<Event> events = stream("{\"text\":\"Say hello\"}");

        assertThat(events).extracting(Event::name).containsExactly("chunk", "chunk", "chunk", "chunk", "done");
        List<String> pieces = events.subList(0, 4).stream().map(event -> json(event).path("text").asString()).toList();
        assertThat(pieces).containsExactly("Hel", "lo, ", "wor", "ld");
        JsonNode done = json(events.getLast());
        assertThat(done.path("response").asString()).isEqualTo(String.join("", pieces)).isEqualTo("Hello, world");
        assertThat(done.path("model").asString()).isEqualTo("stub-model-1");

        SpanData server = awaitSpan("llm_gateway_process");
        SpanData chat = awaitSpan("chat gpt-4o-mini");
        assertThat(server).hasKind(SpanKind.SERVER).hasTraceId(CALLER_TRACE).hasParentSpanId(CALLER_SPAN)
                .hasStatus(io.opentelemetry.sdk.trace.data.StatusData.unset())
                .hasAttribute(StreamingAttributes.STREAMED, true)
                .hasAttribute(StreamingAttributes.CHUNKS, 4L)
                .hasAttribute(AttributeKey.stringKey("output.value"), "Hello, world")
                .hasAttribute(AttributeKey.stringKey("http.route"), "/process/stream")
                .hasEventsSatisfyingExactly(event -> event.hasName(StreamingAttributes.FIRST_CHUNK_EVENT));
        assertThat(chat).hasParentSpanId(server.getSpanId()).hasStatus(io.opentelemetry.sdk.trace.data.StatusData.unset())
                .hasAttribute(AttributeKey.stringKey("llm.output_messages.0.message.content"), "Hello, world")
                .hasAttribute(AttributeKey.stringKey("llm.invocation_parameters"),
                        "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"stream_options\":{\"include_usage\":true}}")
                .hasEventsSatisfying(chatEvents -> assertThat(chatEvents)
                        .anySatisfy(event -> assertThat(event.getName()).isEqualTo(StreamingAttributes.FIRST_CHUNK_EVENT)));
        assertThat(chat.getAttributes().get(StreamingAttributes.RESPONSE_TIME_TO_FIRST_CHUNK)).isPositive()
                .isLessThan((chat.getEndEpochNanos() - chat.getStartEpochNanos()) / 1e9);
        assertThat(InMemoryMetrics.histogram(metrics.collectAllMetrics(), "gen_ai.client.operation.time_to_first_chunk",
                Map.of("transport", "http", "gen_ai.operation.name", "chat", "gen_ai.request.model", "gpt-4o-mini"))
                .mapToLong(HistogramPointData::getCount).sum()).isPositive();
    }

    @Test
    void aStreamLongerThanTheTimeoutButNeverSilentThatLongIsAnsweredWhole() throws Exception {
        // 8 pieces 300 ms apart: 2.4 s in all against OPENAI_TIMEOUT=1s, which bounds silences, not streams
        String[] pieces = java.util.stream.IntStream.range(0, 8).mapToObj(i -> "p" + i + " ").toArray(String[]::new);
        MODEL.willReply(Reply.streamed(pieces).paced(Duration.ofMillis(300)));

        List<Event> events = stream("{\"text\":\"a long answer\"}");

        assertThat(events).extracting(Event::name).as(events.toString()).endsWith("done").doesNotContain("error");
        assertThat(json(events.getLast()).path("response").asString()).isEqualTo(String.join("", pieces));
    }

    @Test
    void badInputIsAProblemBeforeAnyStream() {
        MODEL.willReply(Reply.streamed("unused"));
        var gateway = new GatewayHttpClient(port);

        assertProblem(gateway.post("/process/stream", "application/json", "{\"text\":\"   \"}", "traceparent", TRACEPARENT), 400, "Empty text");
        assertProblem(gateway.post("/process/stream", "application/json", "{}"), 400, "Empty text");
        assertProblem(gateway.post("/process/stream", "application/json", "{\"text\":\"" + "x".repeat(8001) + "\"}"), 413, "Text too large");
        assertProblem(gateway.post("/process/stream", "application/json", "{\"text\": nope"), 400, "Bad Request");
        assertProblem(gateway.post("/process/stream", "text/plain", "hello"), 415, "Unsupported Media Type");
        var tooLarge = gateway.post("/process/stream", "application/json", "{\"text\":\"" + "x".repeat(1_100_000) + "\"}");
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(tooLarge.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(MODEL.requests()).isEmpty();
        assertThat(awaitSpan("llm_gateway_process")).as("inside the trace").hasTraceId(CALLER_TRACE)
                .hasStatus(io.opentelemetry.sdk.trace.data.StatusData.unset());
    }

    @Test
    void aModelThatStallsMidStreamEndsWithAnErrorEventAndErrorSpans() throws Exception {
        MODEL.willReply(Reply.streamed("one ", "two ", "three ", "four").stallingAfter(2));

        List<Event> events = stream("{\"text\":\"stall\"}");

        assertThat(events).extracting(Event::name).containsExactly("chunk", "chunk", "error");
        JsonNode error = json(events.getLast());
        assertThat(error.path("status").asInt()).isEqualTo(504);
        assertThat(error.path("error").asString()).isNotBlank();
        SpanData server = awaitSpan("llm_gateway_process");
        assertThat(server).hasStatusSatisfying(status -> status.hasCode(StatusCode.ERROR))
                .hasAttribute(StreamingAttributes.OUTCOME, "failed").hasAttribute(StreamingAttributes.CHUNKS, 2L);
        assertThat(server.getEvents()).anySatisfy(event -> assertThat(event.getName()).isEqualTo("exception"));
        assertThat(awaitSpan("chat gpt-4o-mini")).hasStatusSatisfying(status -> status.hasCode(StatusCode.ERROR))
                .hasAttribute(AttributeKey.stringArrayKey("gen_ai.response.finish_reasons"), List.of("error"));
    }

    @Test
    void aReaderThatLeavesCancelsTheModelCall() throws Exception {
        String[] pieces = IntStream.range(0, 40).mapToObj(index -> "w" + index + " ").toArray(String[]::new);
        MODEL.willReply(Reply.streamed(pieces).paced(Duration.ofMillis(100)));
        int cutShortBefore = MODEL.streamsCutShort();

        try (Socket socket = new Socket("127.0.0.1", port)) {
            byte[] body = "{\"text\":\"leave early\"}".getBytes(StandardCharsets.UTF_8);
            socket.getOutputStream().write(("POST /process/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "traceparent: " + TRACEPARENT + "\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(body);
            socket.getOutputStream().flush();
            readUntil(socket.getInputStream(), "event: chunk");
        }

        await("the model server sees its connection closed").atMost(Duration.ofSeconds(3))
                .until(() -> MODEL.streamsCutShort() > cutShortBefore);
        SpanData server = awaitSpan("llm_gateway_process");
        assertThat(server).hasStatus(io.opentelemetry.sdk.trace.data.StatusData.unset())
                .hasAttribute(StreamingAttributes.OUTCOME, "cancelled");
        assertThat(server.getAttributes().get(StreamingAttributes.CHUNKS)).isBetween(1L, 39L);
        assertThat(server.getEvents()).noneSatisfy(event -> assertThat(event.getName()).isEqualTo("exception"));
        assertThat(awaitSpan("chat gpt-4o-mini")).hasStatus(io.opentelemetry.sdk.trace.data.StatusData.unset())
                .hasAttribute(StreamingAttributes.OUTCOME, "cancelled");
    }

    private List<Event> stream(String body) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/process/stream"))
                .header("Content-Type", "application/json").header("traceparent", TRACEPARENT)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<InputStream> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
        List<Event> events = new ArrayList<>();
        try (var reader = new EventStreamReader(response.body())) {
            for (Event event = reader.next(); event != null; event = reader.next()) {
                events.add(event);
            }
        }
        return events;
    }

    private static void readUntil(InputStream in, String marker) throws IOException {
        StringBuilder seen = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0) {
            seen.append((char) b);
            if (seen.indexOf(marker) >= 0) {
                return;
            }
        }
        throw new IOException("The stream ended before " + marker + ": " + seen);
    }

    private static JsonNode json(Event event) {
        return JSON.readTree(event.data());
    }

    private SpanData awaitSpan(String name) {
        return await().atMost(Duration.ofSeconds(10)).until(() -> spans.getFinishedSpanItems().stream()
                .filter(span -> span.getName().equals(name)).findFirst(), java.util.Optional::isPresent).orElseThrow();
    }
}
