package io.ctxprop.application.kafka;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.ctxprop.telemetry.SpanBaggage;
import io.ctxprop.telemetry.kafka.KafkaTracing;
import io.ctxprop.telemetry.testing.InMemoryMetrics;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.GenericMessageListenerContainer;
import org.springframework.kafka.mock.MockProducerFactory;
import org.springframework.kafka.requestreply.RequestReplyFuture;
import org.springframework.scheduling.TaskScheduler;

/**
 * A {@link TracedReplyingKafkaTemplate} without a broker, on an in-memory OpenTelemetry SDK: requests go
 * to a {@link MockProducer}, replies are handed to {@link TracedReplyingKafkaTemplate#onMessage} by the
 * test, and reply timeouts fire only when the test says so ({@link #expireNext()}).
 */
final class ReplyTemplateFixture implements AutoCloseable {

    static final String REPLIES = "llm.replies";
    static final String GROUP = "application-replies-test";

    final InMemorySpanExporter spans = InMemorySpanExporter.create();
    final InMemoryMetricReader metrics = InMemoryMetricReader.create();
    final OpenTelemetrySdk openTelemetry = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
            .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
            .setPropagators(ContextPropagators.create(TextMapPropagator.composite(
                    W3CTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance())))
            .build();
    final KafkaTracing tracing = new KafkaTracing(openTelemetry, openTelemetry.getTracer("test"));
    final ReplyLedger ledger = new ReplyLedger(new SpanBaggage(Set.of("session.id")));
    final TracedReplyingKafkaTemplate template;

    private final ConcurrentLinkedDeque<Runnable> timeouts = new ConcurrentLinkedDeque<>();
    private final AtomicLong offsets = new AtomicLong();

    ReplyTemplateFixture() {
        this(null);
    }

    /** On {@code scheduler} (its timeouts fire when their time is up), or on the test's own when null. */
    @SuppressWarnings("unchecked")
    ReplyTemplateFixture(TaskScheduler realScheduler) {
        GenericMessageListenerContainer<String, String> replies = mock(GenericMessageListenerContainer.class);
        when(replies.getContainerProperties()).thenReturn(new ContainerProperties(REPLIES));
        TaskScheduler scheduler = realScheduler;
        if (scheduler == null) {
            scheduler = mock(TaskScheduler.class);
            when(scheduler.schedule(any(Runnable.class), any(Instant.class))).thenAnswer(call -> {
                timeouts.add(call.getArgument(0));
                return null;
            });
        }
        template = new TracedReplyingKafkaTemplate(
                new MockProducerFactory<>(() -> new MockProducer<>(true, null, new StringSerializer(), new StringSerializer())),
                replies, tracing, ledger, new ReplyStreams(new SpanBaggage(Set.of("session.id"))), GROUP, openTelemetry.getMeter("test"));
        template.setTaskScheduler(scheduler);
        template.start();
    }

    /** Sends a request as {@link KafkaGatewayClient} does: into the ledger first, then through Spring. */
    RequestReplyFuture<String, String, String> send(String correlationId, Context from, boolean propagated) {
        return send(correlationId, from, propagated, Duration.ofSeconds(30));
    }

    RequestReplyFuture<String, String, String> send(String correlationId, Context from, boolean propagated, Duration replyTimeout) {
        ledger.sent(correlationId, from, propagated);
        return template.sendAndReceive(new ProducerRecord<>("llm.requests", correlationId, "{\"text\":\"hi\"}"), replyTimeout);
    }

    /** Runs the reply timeout Spring scheduled last, as its scheduler would when the time is up. */
    void expireNext() {
        timeouts.removeLast().run();
    }

    /** The task Spring scheduled last, for a test that runs it on a thread of its own. */
    Runnable nextTimeout() {
        return timeouts.removeLast();
    }

    /** A reply as the gateway writes it, on partition 2, with the trace context of {@code gateway} when it is not null. */
    ConsumerRecord<String, String> reply(String correlationId, Context gateway) {
        var reply = new ConsumerRecord<>(REPLIES, 2, offsets.incrementAndGet(), correlationId,
                "{\"response\":\"an answer\",\"model\":\"stub\"}");
        reply.headers().add("kafka_correlationId", correlationId.getBytes(StandardCharsets.UTF_8));
        if (gateway != null) {
            openTelemetry.getPropagators().getTextMapPropagator().inject(gateway, reply.headers(),
                    (headers, key, value) -> headers.add(key, value.getBytes(StandardCharsets.UTF_8)));
        }
        return reply;
    }

    long lateReplies() {
        return InMemoryMetrics.counter(metrics.collectAllMetrics(), "ctxprop.kafka.replies.late", Map.of());
    }

    long duplicateReplies() {
        return InMemoryMetrics.counter(metrics.collectAllMetrics(), "ctxprop.kafka.replies.duplicate", Map.of());
    }

    long conflictingReplies() {
        return InMemoryMetrics.counter(metrics.collectAllMetrics(), "ctxprop.kafka.replies.conflicting", Map.of());
    }

    List<SpanData> finishedSpans() {
        return spans.getFinishedSpanItems();
    }

    @Override
    public void close() {
        template.stop();
        openTelemetry.close();
    }
}
