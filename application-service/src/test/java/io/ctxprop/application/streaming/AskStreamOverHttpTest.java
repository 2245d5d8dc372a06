package io.ctxprop.application.streaming;

import static io.ctxprop.application.gateway.GatewayStub.event;
import static io.ctxprop.telemetry.testing.ProblemAssertions.assertProblem;
import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ctxprop.telemetry.streaming.EventStreamReader;
import io.ctxprop.telemetry.testing.InMemoryMetrics;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The streamed HTTP hop against a stub of the gateway's {@code /process/stream}. */
class AskStreamOverHttpTest extends StreamingTestBase {

    static final List<String[]> THREE_CHUNKS = List.of(event("chunk", "{\"text\":\"Hel\"}"), event("chunk", "{\"text\":\"lo \"}"),
            event("chunk", "{\"text\":\"there\"}"), event("done", "{\"response\":\"Hello there\",\"model\":\"stub-model\"}"));

    @BeforeEach
    void reset() {
        spans.reset();
        GATEWAY.willStream(THREE_CHUNKS, Duration.ofMillis(20), false);
    }

    @Test
    void chunksInOrderThenTheAnswerThenDoneInsideOneTrace() throws Exception {
        List<Event> events = ask("{\"text\":\"stream me\",\"transport\":\"http\"}");

        assertThat(events).extracting(Event::name).containsExactly("chunk", "chunk", "chunk", "answer", "done");
        assertThat(named(events, "chunk", "http")).extracting(chunk -> chunk.text("text")).containsExactly("Hel", "lo ", "there");
        Event answer = named(events, "answer", "http").getFirst();
        assertThat(answer.text("text")).isEqualTo("Hello there").isEqualTo(String.join("", named(events, "chunk", "http").stream()
                .map(chunk -> chunk.text("text")).toList()));
        assertThat(answer.text("model")).isEqualTo("stub-model");
        assertThat(answer.data().path("firstChunkMs").asLong(-1)).isBetween(0L, answer.data().path("latencyMs").asLong());
        String traceId = assertDoneLast(events);

        SpanData root = awaitSpan("application_process_request", traceId);
        SpanData client = awaitSpan("gateway_request", traceId);
        assertThat(root).hasKind(SpanKind.SERVER).hasNoParent()
                .hasAttribute(AttributeKey.stringKey("http.route"), "/api/ask/stream")
                .hasAttribute(AttributeKey.stringKey("input.value"), "stream me")
                .hasAttribute(AttributeKey.stringKey("output.value"), "Hello there")
                .hasAttribute(AttributeKey.longKey("text.length"), 9L)
                .hasAttribute(AttributeKey.booleanKey("ctxprop.stream"), true)
                .hasAttribute(AttributeKey.stringKey("openinference.span.kind"), "CHAIN")
                .hasEventsSatisfyingExactly(event -> event.hasName("first_chunk")
                        .hasAttributesSatisfyingExactly(io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.equalTo(
                                AttributeKey.stringKey("transport"), "http")));
        assertThat(root.getAttributes().get(AttributeKey.stringKey("session.id"))).as("the session filter covers the path").isNotNull();
        assertThat(client).hasKind(SpanKind.CLIENT).hasParentSpanId(root.getSpanId())
                .hasAttribute(AttributeKey.stringKey("url.full"), GATEWAY.processUrl() + "/stream")
                .hasAttribute(AttributeKey.longKey("ctxprop.stream.chunks"), 3L)
                .hasAttribute(AttributeKey.longKey("http.response.status_code"), 200L)
                .hasEventsSatisfyingExactly(event -> event.hasName("first_chunk"));
        assertThat(root.getEndEpochNanos()).as("the root covers the stream").isGreaterThanOrEqualTo(client.getEndEpochNanos());
        assertThat(client.getEvents().getFirst().getEpochNanos()).isLessThanOrEqualTo(root.getEvents().getFirst().getEpochNanos());

        var atGateway = GATEWAY.received().getFirst();
        assertThat(atGateway.header("traceparent")).startsWith("00-" + traceId + "-" + client.getSpanId());
        assertThat(atGateway.header("X-Request-Id")).isEqualTo(client.getAttributes().get(AttributeKey.stringKey("http.request.header.x-request-id")));
        assertThat(atGateway.body()).isEqualTo("{\"text\":\"stream me\"}");
        assertThat(atGateway.header("Authorization")).as("the application sends GATEWAY_API_KEY").isEqualTo("Bearer stream-gateway-key");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(InMemoryMetrics.histogram(metrics.collectAllMetrics(),
                "ctxprop.answer.time_to_first_chunk", Map.of("transport", "http")).filter(point -> !point.getAttributes().asMap().keySet()
                .stream().anyMatch(key -> key.getKey().equals("error.type"))).mapToLong(HistogramPointData::getCount).sum()).isPositive());
    }

    @Test
    void withPropagationOffNoContextGoesToTheGateway() throws Exception {
        String traceId = assertDoneLast(ask("{\"text\":\"lost\",\"propagate\":false}"));

        assertThat(GATEWAY.received().getFirst().header("traceparent")).isNull();
        assertThat(awaitSpan("gateway_request", traceId)).hasAttribute(AttributeKey.booleanKey("context_propagated"), false);
    }

    @Test
    void theGatewaysErrorEventIsAnErrorEventWithTheTraceIdThenDone() throws Exception {
        GATEWAY.willStream(List.of(event("chunk", "{\"text\":\"Hel\"}"),
                event("error", "{\"error\":\"The model stalled after 1 chunk\",\"status\":504}")), Duration.ZERO, false);

        List<Event> events = ask("{\"text\":\"stall\"}");

        assertThat(events).extracting(Event::name).containsExactly("chunk", "error", "done");
        Event error = events.get(1);
        String traceId = assertDoneLast(events);
        assertThat(error.data().path("status").asInt()).isEqualTo(504);
        assertThat(error.text("title")).isEqualTo("Gateway timeout");
        assertThat(error.text("detail")).contains("The model stalled after 1 chunk");
        assertThat(error.text("transport")).isEqualTo("http");
        assertThat(error.text("traceId")).isEqualTo(traceId);
        assertThat(awaitSpan("gateway_request", traceId)).hasStatusSatisfying(status -> status.hasCode(StatusCode.ERROR))
                .hasAttribute(AttributeKey.stringKey("error.type"), "504");
        assertThat(awaitSpan("application_process_request", traceId)).hasStatusSatisfying(status -> status.hasCode(StatusCode.ERROR))
                .hasAttribute(AttributeKey.stringKey("ctxprop.stream.outcome"), "failed");
    }

    @Test
    void aGatewayThatRefusesIsA502ErrorEvent() throws Exception {
        GATEWAY.willStream(List.<String[]>of(event("error", "{\"error\":\"The model server answered HTTP 500\",\"status\":502}")), Duration.ZERO, false);

        List<Event> events = ask("{\"text\":\"refuse\"}");

        assertThat(events).extracting(Event::name).containsExactly("error", "done");
        assertThat(events.getFirst().data().path("status").asInt()).isEqualTo(502);
        assertThat(events.getFirst().text("detail")).contains("HTTP 500");
    }

    @Test
    void aGatewayThatFallsSilentMidStreamIsA504WithinTheTimeout() throws Exception {
        GATEWAY.willStream(List.of(event("chunk", "{\"text\":\"Hel\"}"), event("chunk", "{\"text\":\"lo\"}")), Duration.ofSeconds(30), false);
        long started = System.nanoTime();

        List<Event> events = ask("{\"text\":\"silence\"}");

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        assertThat(events).extracting(Event::name).containsExactly("chunk", "error", "done");
        assertThat(events.get(1).data().path("status").asInt()).isEqualTo(504);
        assertThat(events.get(1).text("detail")).contains("sent nothing for 2000 ms");
    }

    @Test
    void badInputIsAProblemBeforeAnyStream() throws Exception {
        assertProblem(post("application/json", "{\"text\":\"\"}"), 400, "Empty text");
        assertProblem(post("application/json", "{\"text\":\"" + "y".repeat(4001) + "\"}"), 413, "Text too large");
        assertProblem(post("application/json", "{\"text\":\"hi\",\"transport\":\"pigeon\"}"), 400, "Unknown transport");
        assertProblem(post("application/json", "{\"text\": oops"), 400, "Bad Request");
        assertProblem(post("text/plain", "hi"), 415, "Unsupported Media Type");
        assertThat(GATEWAY.received()).isEmpty();
    }

    @Test
    void aReaderWhoLeavesClosesTheGatewaysStream() throws Exception {
        GATEWAY.willStream(List.of(), Duration.ofMillis(20), true);

        var response = open("{\"text\":\"leave early\"}");
        try (var reader = new EventStreamReader(response.body())) {
            assertThat(reader.next().name()).isEqualTo("chunk");
        }

        await().atMost(Duration.ofSeconds(10)).until(GATEWAY::streamReaderLeft);
        SpanData root = awaitSpan(span -> span.getName().equals("application_process_request")
                && "/api/ask/stream".equals(span.getAttributes().get(AttributeKey.stringKey("url.path"))));
        assertThat(root).hasAttribute(AttributeKey.stringKey("ctxprop.stream.outcome"), "cancelled");
        assertThat(awaitSpan("gateway_request", root.getTraceId()))
                .hasAttribute(AttributeKey.stringKey("ctxprop.stream.outcome"), "cancelled")
                .hasStatusSatisfying(status -> status.hasCode(StatusCode.UNSET));
    }

}
