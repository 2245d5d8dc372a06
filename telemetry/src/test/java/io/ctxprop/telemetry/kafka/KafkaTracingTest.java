package io.ctxprop.telemetry.kafka;

import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.assertThat;
import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.equalTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ctxprop.telemetry.attributes.MessagingAttributes;
import io.ctxprop.telemetry.propagation.TraceContextProblem;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The messaging spans and the record-header carriers, on an in-memory SDK with the W3C propagators. */
class KafkaTracingTest {

    static final String SENDER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String SENDER_SPAN = "00f067aa0ba902b7";
    static final String TRACEPARENT = "00-" + SENDER_TRACE + "-" + SENDER_SPAN + "-01";

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
            .setPropagators(ContextPropagators.create(TextMapPropagator.composite(
                    W3CTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance())))
            .build();
    private final KafkaTracing tracing = new KafkaTracing(sdk, sdk.getTracer("test"));

    @AfterEach
    void close() {
        sdk.close();
    }

    @Test
    void aSendSpanPutsExactlyOneTraceparentOfItsOwnIntoTheRecord() {
        var record = new ProducerRecord<String, byte[]>("llm.replies", "corr-1", new byte[0]);
        record.headers().add("traceparent", utf8(TRACEPARENT));
        record.headers().add("traceparent", utf8(TRACEPARENT));
        Context before = Context.current();

        Span send = tracing.startSend(record, "corr-1");
        tracing.inject(send, record.headers());
        tracing.sent(send, new RecordMetadata(new TopicPartition("llm.replies", 3), 41, 0, 0L, 0, 0));
        send.end();

        assertThat(Context.current()).isSameAs(before);
        String traceparent = new String(assertThat(record.headers().headers("traceparent")).singleElement().actual().value(),
                StandardCharsets.UTF_8);
        // flags 01 or 03 (sampled, and a random trace id from SDK 1.68 on)
        assertThat(traceparent).matches("00-" + send.getSpanContext().getTraceId() + "-" + send.getSpanContext().getSpanId() + "-0[13]");
        assertThat(spans.getFinishedSpanItems()).singleElement().satisfies(span -> assertThat(span)
                .hasName("send llm.replies").hasKind(SpanKind.PRODUCER).hasNoParent()
                .hasAttributesSatisfying(
                        equalTo(MessagingAttributes.SYSTEM, "kafka"),
                        equalTo(MessagingAttributes.OPERATION_TYPE, "send"),
                        equalTo(MessagingAttributes.DESTINATION_NAME, "llm.replies"),
                        equalTo(MessagingAttributes.DESTINATION_PARTITION_ID, "3"),
                        equalTo(MessagingAttributes.KAFKA_OFFSET, 41L),
                        equalTo(MessagingAttributes.KAFKA_MESSAGE_KEY, "corr-1"),
                        equalTo(MessagingAttributes.CONVERSATION_ID, "corr-1")));
    }

    @Test
    void aProcessSpanContinuesTheSendersTraceLinksToItAndCarriesItsBaggageThenRestoresTheCallersContext() {
        var record = received(TRACEPARENT, "session.id=abc");
        AtomicReference<String> baggageInside = new AtomicReference<>();
        AtomicReference<Span> currentInside = new AtomicReference<>();
        Context before = Context.current();

        InboundContext inbound = tracing.extractChecked(record.headers());
        tracing.process(record, inbound, "llm-gateway", "corr-2", span -> {
            baggageInside.set(Baggage.current().getEntryValue("session.id"));
            currentInside.set(Span.current());
            return null;
        });

        assertThat(Context.current()).isSameAs(before);
        assertThat(inbound.problems()).isEmpty();
        assertThat(inbound.continuesTrace()).isTrue();
        assertThat(baggageInside).hasValue("abc");
        assertThat(spans.getFinishedSpanItems()).singleElement().satisfies(span -> {
            assertThat(span).hasName("process llm.requests").hasKind(SpanKind.CONSUMER)
                    .hasTraceId(SENDER_TRACE).hasParentSpanId(SENDER_SPAN)
                    .hasLinksSatisfying(links -> assertThat(links).singleElement()
                            .satisfies(link -> assertThat(link.getSpanContext().getSpanId()).isEqualTo(SENDER_SPAN)))
                    .hasAttributesSatisfying(
                            equalTo(MessagingAttributes.OPERATION_TYPE, "process"),
                            equalTo(MessagingAttributes.DESTINATION_PARTITION_ID, "2"),
                            equalTo(MessagingAttributes.KAFKA_OFFSET, 7L),
                            equalTo(MessagingAttributes.CONSUMER_GROUP_NAME, "llm-gateway"),
                            equalTo(MessagingAttributes.CONVERSATION_ID, "corr-2"));
            assertThat(span.getAttributes().get(TraceContextProblem.ATTRIBUTE)).isNull();
            assertThat(currentInside.get().getSpanContext()).isEqualTo(span.getSpanContext());
        });
    }

    @Test
    void aFailureIsRecordedOnTheProcessSpanRethrownAndTheCallersContextComesBack() {
        var record = received(TRACEPARENT, null);
        var failure = new IllegalStateException("boom");
        Span caller = sdk.getTracer("test").spanBuilder("caller").startSpan();

        try (Scope ignored = caller.makeCurrent()) {
            assertThatThrownBy(() -> tracing.process(record, tracing.extractChecked(record.headers()), "g", "c", span -> {
                throw failure;
            })).isSameAs(failure);
            assertThat(Span.current()).isSameAs(caller);
        }
        caller.end();

        assertThat(spans.getFinishedSpanItems()).filteredOn(span -> span.getName().equals("process llm.requests")).singleElement()
                .satisfies(span -> assertThat(span).hasStatusSatisfying(status -> status.hasCode(StatusCode.ERROR))
                        .hasException(failure).hasParentSpanId(SENDER_SPAN));
    }

    @Test
    void brokenTraceparentsStartANewTraceAndSayWhy() {
        assertNewTrace(received("00-xyz-123-01", null), TraceContextProblem.INVALID_TRACEPARENT);
        assertNewTrace(received("00-00000000000000000000000000000000-" + SENDER_SPAN + "-01", null), TraceContextProblem.INVALID_TRACEPARENT);
        assertNewTrace(received("01-" + SENDER_TRACE + "-" + SENDER_SPAN + "-01-" + "c".repeat(600), null), TraceContextProblem.OVERSIZED_TRACEPARENT);
        var twice = received(TRACEPARENT, null);
        twice.headers().add("traceparent", utf8(TRACEPARENT));
        assertNewTrace(twice, TraceContextProblem.DUPLICATE_TRACEPARENT);
        var notUtf8 = received(null, null);
        notUtf8.headers().add("traceparent", new byte[] {(byte) 0xc3, (byte) 0x28});
        assertNewTrace(notUtf8, TraceContextProblem.INVALID_TRACEPARENT);
        assertNewTrace(received(null, null), TraceContextProblem.MISSING);
    }

    @Test
    void brokenBaggageIsDroppedAndTheTraceGoesOn() {
        InboundContext tooMany = tracing.extractChecked(received(TRACEPARENT, "k=v,".repeat(181)).headers());
        assertThat(tooMany.continuesTrace()).isTrue();
        assertThat(tooMany.problems()).containsExactly(TraceContextProblem.INVALID_BAGGAGE);
        assertThat(Baggage.fromContext(tooMany.context()).isEmpty()).isTrue();

        InboundContext tooLong = tracing.extractChecked(received(TRACEPARENT, "k=" + "v".repeat(8200)).headers());
        assertThat(tooLong.problems()).containsExactly(TraceContextProblem.INVALID_BAGGAGE);

        var twoHeadersOverTheLimitTogether = received(TRACEPARENT, "a=" + "v".repeat(5000));
        twoHeadersOverTheLimitTogether.headers().add("baggage", utf8("b=" + "v".repeat(5000)));
        assertThat(tracing.extractChecked(twoHeadersOverTheLimitTogether.headers()).problems()).containsExactly(TraceContextProblem.INVALID_BAGGAGE);

        var badState = received(TRACEPARENT, "session.id=abc");
        badState.headers().add("tracestate", new byte[] {(byte) 0xc3, (byte) 0x28});
        InboundContext withBadState = tracing.extractChecked(badState.headers());
        assertThat(withBadState.continuesTrace()).isTrue();
        assertThat(withBadState.problems()).containsExactly(TraceContextProblem.INVALID_TRACESTATE);
        assertThat(Baggage.fromContext(withBadState.context()).getEntryValue("session.id")).isEqualTo("abc");
    }

    @Test
    void theProblemsGoOnTheProcessSpan() {
        var record = received("garbage", null);
        tracing.process(record, tracing.extractChecked(record.headers()), "g", "c", span -> null);

        assertThat(spans.getFinishedSpanItems()).singleElement().satisfies(span -> assertThat(span).hasNoParent()
                .hasAttribute(TraceContextProblem.ATTRIBUTE, List.of(TraceContextProblem.INVALID_TRACEPARENT)));
    }

    @Test
    void aRecordWithNoContextSaysSoWithoutCallingItRejected() {
        var record = received(null, null);
        tracing.process(record, tracing.extractChecked(record.headers()), "g", "c", span -> null);

        assertThat(spans.getFinishedSpanItems()).singleElement().satisfies(span -> {
            assertThat(span).hasNoParent().hasAttribute(TraceContextProblem.ABSENT, true);
            assertThat(span.getAttributes().get(TraceContextProblem.ATTRIBUTE)).isNull();
        });
    }

    private void assertNewTrace(ConsumerRecord<String, byte[]> record, String problem) {
        InboundContext inbound = tracing.extractChecked(record.headers());
        assertThat(inbound.continuesTrace()).as(problem).isFalse();
        assertThat(Span.fromContext(inbound.context()).getSpanContext().isValid()).as(problem).isFalse();
        assertThat(inbound.problems()).as(problem).containsExactly(problem);
    }

    private static ConsumerRecord<String, byte[]> received(String traceparent, String baggage) {
        var record = new ConsumerRecord<>("llm.requests", 2, 7L, "key", "{\"text\":\"hi\"}".getBytes(StandardCharsets.UTF_8));
        Headers headers = record.headers();
        if (traceparent != null) {
            headers.add("traceparent", utf8(traceparent));
        }
        if (baggage != null) {
            headers.add("baggage", utf8(baggage));
        }
        return record;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

}
