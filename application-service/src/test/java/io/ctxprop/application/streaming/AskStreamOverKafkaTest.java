package io.ctxprop.application.streaming;

import static io.ctxprop.telemetry.testing.InMemoryMetrics.counter;
import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.assertThat;
import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.equalTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ctxprop.application.kafka.KafkaGatewayStub;
import io.ctxprop.telemetry.streaming.EventStreamReader;
import io.ctxprop.telemetry.testing.InMemoryMetrics;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The streamed Kafka hop on a real in-process broker, with this test playing the gateway: it reads the
 * request from {@code llm.requests} and writes the chunk and last records to {@code llm.replies} by hand,
 * in order, repeated, out of order, with a gap that fills and one that never does, stalled, hostile.
 */
class AskStreamOverKafkaTest extends StreamingTestBase {

    static final String ANSWER = "{\"response\":\"Hello there\",\"model\":\"kafka-model\"}";
    static final AttributeKey<String> CONVERSATION = AttributeKey.stringKey("messaging.message.conversation_id");

    private KafkaGatewayStub gateway;

    @BeforeEach
    void start() {
        spans.reset();
        gateway = new KafkaGatewayStub(brokers);
        GATEWAY.willStream(AskStreamOverHttpTest.THREE_CHUNKS, Duration.ofMillis(20), false);
    }

    @AfterEach
    void stopGateway() {
        gateway.close();
    }

    @Test
    void chunksInOrderAddUpToTheAnswerUnderOneProcessSpanPerStream() throws Exception {
        var stream = streamAsync("{\"text\":\"kafka in order\",\"transport\":\"kafka\"}");
        ConsumerRecord<String, String> request = gateway.nextRequest("kafka in order");
        assertThat(header(request, "ctxprop-stream")).isEqualTo("true");
        assertThat(header(request, "kafka_replyTopic")).isEqualTo("llm.replies");
        assertThat(header(request, "kafka_correlationId")).isEqualTo(request.key());

        gateway.chunk(request, 0, "Hel");
        gateway.chunk(request, 1, "lo ");
        gateway.chunk(request, 2, "there");
        gateway.last(request, 3, ANSWER);
        List<Event> events = stream.get(30, TimeUnit.SECONDS);

        assertThat(events).extracting(Event::name).containsExactly("chunk", "chunk", "chunk", "answer", "done");
        assertThat(named(events, "chunk", "kafka")).extracting(chunk -> chunk.text("text")).containsExactly("Hel", "lo ", "there");
        assertThat(named(events, "answer", "kafka").getFirst().text("text")).isEqualTo("Hello there");
        assertThat(named(events, "answer", "kafka").getFirst().text("model")).isEqualTo("kafka-model");
        String traceId = assertDoneLast(events);

        SpanData root = awaitSpan("application_process_request", traceId);
        SpanData send = awaitSpan("send llm.requests", traceId);
        SpanData process = awaitSpan("process llm.replies", traceId);
        assertThat(spansNamed("process llm.replies", traceId)).as("one span for the whole stream").hasSize(1);
        assertThat(send).hasParentSpanId(root.getSpanId()).hasAttribute(AttributeKey.booleanKey("ctxprop.stream"), true);
        assertThat(process).hasKind(SpanKind.CONSUMER)
                .hasParentSpanId(send.getSpanId())
                .hasAttribute(CONVERSATION, request.key())
                .hasAttribute(AttributeKey.longKey("ctxprop.stream.chunks"), 3L)
                .hasAttribute(AttributeKey.longKey("ctxprop.stream.duplicates"), 0L)
                .hasAttribute(AttributeKey.stringKey("reply.outcome"), "completed")
                .hasEventsSatisfyingExactly(event -> event.hasName("first_chunk"));
        assertThat(root).hasEventsSatisfyingExactly(event -> event.hasName("first_chunk")
                .hasAttributesSatisfyingExactly(equalTo(AttributeKey.stringKey("transport"), "kafka")))
                .hasAttribute(AttributeKey.stringKey("output.value"), "Hello there");
        assertThat(root.getEndEpochNanos()).as("the root covers the stream").isGreaterThanOrEqualTo(process.getEndEpochNanos());
        assertThat(firstChunkCount("kafka")).isPositive();
    }

    @Test
    void duplicatesAreDroppedAndCountedAndAnOutOfOrderChunkWaitsForTheGap() throws Exception {
        long duplicatesBefore = counter(metrics.collectAllMetrics(), "ctxprop.kafka.replies.duplicate", Map.of());
        var stream = streamAsync("{\"text\":\"kafka shuffled\",\"transport\":\"kafka\"}");
        ConsumerRecord<String, String> request = gateway.nextRequest("kafka shuffled");

        gateway.chunk(request, 0, "Hel");
        gateway.chunk(request, 2, "there");
        gateway.chunk(request, 0, "Hel");
        gateway.chunk(request, 1, "lo ");
        gateway.chunk(request, 2, "there");
        gateway.last(request, 3, ANSWER);
        List<Event> events = stream.get(30, TimeUnit.SECONDS);

        assertThat(named(events, "chunk", "kafka")).extracting(chunk -> chunk.text("text")).containsExactly("Hel", "lo ", "there");
        assertThat(named(events, "answer", "kafka")).singleElement().satisfies(answer -> assertThat(answer.text("text")).isEqualTo("Hello there"));
        String traceId = assertDoneLast(events);
        assertThat(awaitSpan("process llm.replies", traceId)).hasAttribute(AttributeKey.longKey("ctxprop.stream.duplicates"), 2L)
                .hasAttribute(AttributeKey.longKey("ctxprop.stream.chunks"), 3L);
        assertThat(counter(metrics.collectAllMetrics(), "ctxprop.kafka.replies.duplicate", Map.of()) - duplicatesBefore).isEqualTo(2);
    }

    /**
     * The attack of issue 21 on a stream: a forged chunk and last record first (they win, as any first
     * answer), then the gateway's: its last record, whether it comes while the stream is open or after
     * it ended, is counted as conflicting and shown in the user's trace.
     */
    @Test
    void aForgedStreamStillWinsButTheGatewaysDifferentAnswerIsCountedAsConflictingInTheUsersTrace() throws Exception {
        long conflictingBefore = counter(metrics.collectAllMetrics(), "ctxprop.kafka.replies.conflicting", Map.of());
        var stream = streamAsync("{\"text\":\"kafka forged\",\"transport\":\"kafka\"}");
        ConsumerRecord<String, String> request = gateway.nextRequest("kafka forged");

        gateway.chunk(request, 0, "FORGED");
        gateway.last(request, 1, "{\"response\":\"FORGED-by-attacker: wire money to mallory\",\"model\":\"evil\"}");
        List<Event> events = stream.get(30, TimeUnit.SECONDS);
        assertThat(named(events, "answer", "kafka").getFirst().text("text")).startsWith("FORGED");
        String traceId = assertDoneLast(events);
        gateway.chunk(request, 0, "Hello there");
        gateway.last(request, 1, ANSWER);

        await().atMost(Duration.ofSeconds(10)).until(() -> counter(metrics.collectAllMetrics(), "ctxprop.kafka.replies.conflicting", Map.of())
                - conflictingBefore == 1);
        assertThat(awaitSpan(span -> span.getName().equals("process llm.replies")
                && "conflicting".equals(span.getAttributes().get(AttributeKey.stringKey("reply.outcome")))))
                .hasTraceId(traceId);
    }

    @Test
    void aGapThatNeverFillsIsA504NamingTheMissingChunkWithinTheReplyTimeout() throws Exception {
        var stream = streamAsync("{\"text\":\"kafka gap\",\"transport\":\"kafka\"}");
        ConsumerRecord<String, String> request = gateway.nextRequest("kafka gap");

        gateway.chunk(request, 0, "Hel");
        gateway.chunk(request, 2, "there");
        gateway.last(request, 3, ANSWER);
        long sent = System.nanoTime();
        List<Event> events = stream.get(30, TimeUnit.SECONDS);

        assertThat(Duration.ofNanos(System.nanoTime() - sent)).as("the reply timeout is 2 s").isLessThan(Duration.ofSeconds(8));
        assertThat(events).extracting(Event::name).containsExactly("chunk", "error", "done");
        Event error = events.get(1);
        String traceId = assertDoneLast(events);
        assertThat(error.data().path("status").asInt()).isEqualTo(504);
        assertThat(error.text("detail")).contains("chunk 1 of 3");
        assertThat(error.text("transport")).isEqualTo("kafka");
        assertThat(error.text("traceId")).isEqualTo(traceId);
        assertThat(awaitSpan("process llm.replies", traceId)).hasStatusSatisfying(status -> status.hasCode(StatusCode.ERROR))
                .hasAttribute(AttributeKey.stringKey("ctxprop.stream.outcome"), "failed")
                .hasAttribute(AttributeKey.longKey("ctxprop.stream.chunks"), 1L);
    }

    @Test
    void aStreamThatStallsIsA504AndItsModelCallIsCancelled() throws Exception {
        var stream = streamAsync("{\"text\":\"kafka stall\",\"transport\":\"kafka\"}");
        ConsumerRecord<String, String> request = gateway.nextRequest("kafka stall");
        gateway.chunk(request, 0, "Hel");

        List<Event> events = stream.get(30, TimeUnit.SECONDS);

        assertThat(events).extracting(Event::name).containsExactly("chunk", "error", "done");
        assertThat(events.get(1).data().path("status").asInt()).isEqualTo(504);
        assertThat(events.get(1).text("detail")).contains("chunk 1 (or the last record) did not arrive");
        // nobody reads the rest of that answer: the gateway is told to stop it
        ConsumerRecord<String, String> cancel = gateway.nextRecord(record -> "true".equals(header(record, "ctxprop-cancel"))
                && request.key().equals(record.key()), Duration.ofSeconds(10)).orElseThrow();
        assertThat(cancel.key()).isEqualTo(request.key());
        assertThat(header(cancel, "kafka_correlationId")).isEqualTo(request.key());
        assertThat(header(cancel, "kafka_replyTopic")).as("the gateway cancels only the stream with the same reply topic")
                .isEqualTo(header(request, "kafka_replyTopic")).isNotNull();
        assertThat(header(request, "ctxprop-cancel-token")).as("the request's cancel token: 128 random bits in hex")
                .matches("[0-9a-f]{32}").isNotEqualTo(request.key());
        assertThat(header(cancel, "ctxprop-cancel-token")).as("the cancel carries the request's token, the only part not on the replies")
                .isEqualTo(header(request, "ctxprop-cancel-token"));
    }

    @Test
    void recordsWithHostileSequenceHeadersAreDroppedAndCountedAndNothingElseBreaks() throws Exception {
        long invalidBefore = counter(metrics.collectAllMetrics(), "ctxprop.kafka.replies.invalid", Map.of());
        var stream = streamAsync("{\"text\":\"kafka hostile\",\"transport\":\"kafka\"}");
        ConsumerRecord<String, String> request = gateway.nextRequest("kafka hostile");

        gateway.streamRecord(request, "{\"chunk\":\"no seq\"}", null, false);
        gateway.streamRecord(request, "{\"chunk\":\"letters\"}", "abc", false);
        gateway.streamRecord(request, "{\"chunk\":\"negative\"}", "-1", false);
        gateway.streamRecord(request, "{\"chunk\":\"too long\"}", "99999999999", false);
        gateway.streamRecord(request, "{\"chunk\":\"far ahead\"}", "2147483647", false);
        gateway.streamRecord(request, "{\"response\":\"a last record without a count\"}", null, true);
        gateway.chunk(request, 0, "Hello there");
        gateway.last(request, 1, ANSWER);
        List<Event> events = stream.get(30, TimeUnit.SECONDS);

        assertThat(events).extracting(Event::name).containsExactly("chunk", "answer", "done");
        assertThat(events.getFirst().text("text")).isEqualTo("Hello there");
        assertThat(counter(metrics.collectAllMetrics(), "ctxprop.kafka.replies.invalid", Map.of()) - invalidBefore).isEqualTo(6);
        // the next request is answered as ever
        var next = streamAsync("{\"text\":\"kafka after the hostile\",\"transport\":\"kafka\"}");
        ConsumerRecord<String, String> nextRequest = gateway.nextRequest("kafka after the hostile");
        gateway.chunk(nextRequest, 0, "fine");
        gateway.last(nextRequest, 1, "{\"response\":\"fine\",\"model\":\"m\"}");
        assertThat(next.get(30, TimeUnit.SECONDS)).extracting(Event::name).containsExactly("chunk", "answer", "done");
    }

    @Test
    void aReaderWhoLeavesSendsTheCancelRecordAndLaterRecordsAreDroppedQuietly() throws Exception {
        var response = open("{\"text\":\"kafka leave\",\"transport\":\"kafka\"}");
        ConsumerRecord<String, String> request = gateway.nextRequest("kafka leave");
        String correlationId = request.key();
        gateway.chunk(request, 0, "first ");
        try (var reader = new EventStreamReader(response.body())) {
            assertThat(reader.next().name()).isEqualTo("chunk");
        }

        // the gateway goes on writing until it is told to stop: the application finds out at its next write
        var seq = new java.util.concurrent.atomic.AtomicInteger(1);
        ConsumerRecord<String, String> cancel = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ZERO).until(() -> {
            gateway.chunk(request, seq.getAndIncrement(), "more ");
            // other tests' streams end with cancels too: this stream's is the one with its correlation id
            return gateway.nextRecord(record -> "true".equals(header(record, "ctxprop-cancel")) && correlationId.equals(record.key()),
                    Duration.ofMillis(100));
        }, java.util.Optional::isPresent).orElseThrow();

        assertThat(cancel.key()).isEqualTo(correlationId);
        assertThat(header(cancel, "kafka_correlationId")).isEqualTo(correlationId);
        assertThat(cancel.value()).isEqualTo("{}");
        long invalidBefore = counter(metrics.collectAllMetrics(), "ctxprop.kafka.replies.invalid", Map.of());
        gateway.last(request, seq.get(), "{\"error\":\"Cancelled by the caller\",\"status\":499}");
        String traceId = header(request, "traceparent").substring(3, 35);
        SpanData root = awaitSpan("application_process_request", traceId);
        assertThat(root).hasAttribute(AttributeKey.stringKey("ctxprop.stream.outcome"), "cancelled");
        assertThat(awaitSpan("process llm.replies", traceId)).hasAttribute(AttributeKey.stringKey("ctxprop.stream.outcome"), "cancelled")
                .hasStatusSatisfying(status -> status.hasCode(StatusCode.UNSET));
        assertThat(counter(metrics.collectAllMetrics(), "ctxprop.kafka.replies.invalid", Map.of())).isEqualTo(invalidBefore);
    }

    @Test
    void bothTransportsInOneStreamAndOneFailingLeavesTheOtherToComplete() throws Exception {
        var stream = streamAsync("{\"text\":\"both, kafka fails\",\"transport\":\"both\"}");
        ConsumerRecord<String, String> request = gateway.nextRequest("both, kafka fails");
        gateway.chunk(request, 0, "Hel");
        gateway.last(request, 1, "{\"error\":\"The model failed\",\"status\":502}");

        List<Event> events = stream.get(30, TimeUnit.SECONDS);

        String traceId = assertDoneLast(events);
        assertThat(named(events, "chunk", "http")).extracting(chunk -> chunk.text("text")).containsExactly("Hel", "lo ", "there");
        assertThat(named(events, "answer", "http")).singleElement().satisfies(answer -> assertThat(answer.text("text")).isEqualTo("Hello there"));
        assertThat(named(events, "chunk", "kafka")).extracting(chunk -> chunk.text("text")).containsExactly("Hel");
        assertThat(named(events, "answer", "kafka")).isEmpty();
        assertThat(named(events, "error", "kafka")).singleElement().satisfies(error -> {
            assertThat(error.data().path("status").asInt()).isEqualTo(502);
            assertThat(error.text("detail")).contains("The model failed");
            assertThat(error.text("traceId")).isEqualTo(traceId);
        });
        SpanData root = awaitSpan("application_process_request", traceId);
        assertThat(root.getEvents()).extracting(event -> event.getAttributes().get(AttributeKey.stringKey("transport")))
                .containsExactlyInAnyOrder("http", "kafka");
        assertThat(awaitSpan("gateway_request", traceId).getParentSpanId()).isEqualTo(root.getSpanId());
        assertThat(spansNamed("process llm.replies", traceId)).hasSize(1);
    }

    @Test
    void bothTransportsCompleteAndTheTimeToFirstChunkIsRecordedForEach() throws Exception {
        var stream = streamAsync("{\"text\":\"both fine\",\"transport\":\"both\"}");
        ConsumerRecord<String, String> request = gateway.nextRequest("both fine");
        gateway.chunk(request, 0, "Hello ");
        gateway.chunk(request, 1, "there");
        gateway.last(request, 2, ANSWER);

        List<Event> events = stream.get(30, TimeUnit.SECONDS);

        assertDoneLast(events);
        for (String transport : List.of("http", "kafka")) {
            assertThat(String.join("", named(events, "chunk", transport).stream().map(chunk -> chunk.text("text")).toList()))
                    .isEqualTo(named(events, "answer", transport).getFirst().text("text")).isEqualTo("Hello there");
            assertThat(named(events, "answer", transport).getFirst().data().path("firstChunkMs").isNumber()).isTrue();
            assertThat(firstChunkCount(transport)).isPositive();
        }
    }

    private long firstChunkCount(String transport) {
        return InMemoryMetrics.histogram(metrics.collectAllMetrics(), "ctxprop.answer.time_to_first_chunk", Map.of("transport", transport))
                .filter(point -> point.getAttributes().asMap().keySet().stream().noneMatch(key -> key.getKey().equals("error.type")))
                .mapToLong(HistogramPointData::getCount).sum();
    }

    private CompletableFuture<List<Event>> streamAsync(String body) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return ask(body);
            } catch (Exception failure) {
                throw new IllegalStateException(failure);
            }
        });
    }

    /** The header's value, or null without one; a record that carries it twice fails the test. */
    private static String header(ConsumerRecord<String, String> record, String name) {
        var headers = new java.util.ArrayList<org.apache.kafka.common.header.Header>();
        record.headers().headers(name).forEach(headers::add);
        assertThat(headers).as("%s headers", name).hasSizeLessThanOrEqualTo(1);
        return headers.isEmpty() ? null : new String(headers.getFirst().value(), StandardCharsets.UTF_8);
    }
}
