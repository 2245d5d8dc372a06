package io.ctxprop.telemetry.kafka;

import static io.ctxprop.telemetry.attributes.MessagingAttributes.*;

import io.ctxprop.telemetry.SpanRunner;
import io.ctxprop.telemetry.metrics.Durations;
import io.ctxprop.telemetry.propagation.TraceContextProblem;
import io.ctxprop.telemetry.propagation.TraceIds;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.semconv.ErrorAttributes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Headers;

/**
 * The messaging spans of both services, named and described by the OpenTelemetry messaging
 * conventions: {@code send <topic>} (PRODUCER) around a send, whose context goes into the record's
 * headers, and {@code process <topic>} (CONSUMER) around the handling of a received record, whose
 * parent is the context that came in its headers, with a link to it as well.
 */
public final class KafkaTracing {


    private final OpenTelemetry openTelemetry;
    private final Tracer tracer;
    private final LongCounter sentMessages;
    private final LongCounter consumedMessages;
    private final DoubleHistogram processDuration;

    public KafkaTracing(OpenTelemetry openTelemetry, Tracer tracer) {
        this.openTelemetry = openTelemetry;
        this.tracer = tracer;
        Meter meter = openTelemetry.getMeter("io.ctxprop.telemetry");
        this.sentMessages = meter.counterBuilder("messaging.client.sent.messages").setUnit("{message}")
                .setDescription("Messages this service produced, acknowledged by the broker").build();
        this.consumedMessages = meter.counterBuilder("messaging.client.consumed.messages").setUnit("{message}")
                .setDescription("Messages this service received").build();
        this.processDuration = Durations.histogram(meter, "messaging.process.duration", "Duration of processing one received message");
    }

    /** A correlation id as text: itself when it is printable UTF-8 (a UUID string), else hex (Spring's binary UUIDs). */
    public static String conversationId(byte[] correlationId) {
        if (correlationId == null) {
            return null;
        }
        String text = new String(correlationId, StandardCharsets.UTF_8);
        boolean printable = text.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
        return printable ? text : HexFormat.of().formatHex(correlationId);
    }

    /** The conversation a received record belongs to: its {@code kafka_correlationId}, else its key. */
    public static String conversationId(ConsumerRecord<?, ?> record) {
        var correlation = record.headers().lastHeader("kafka_correlationId");
        if (correlation != null) {
            return conversationId(correlation.value());
        }
        return record.key() == null ? null : record.key().toString();
    }

    /** Starts {@code send <topic>} as a child of the current context. */
    public Span startSend(ProducerRecord<?, ?> record, String conversationId) {
        SpanBuilder span = tracer.spanBuilder("send " + record.topic())
                .setSpanKind(SpanKind.PRODUCER)
                .setAttribute(SYSTEM, KAFKA)
                .setAttribute(OPERATION_TYPE, "send")
                .setAttribute(OPERATION_NAME, "send")
                .setAttribute(DESTINATION_NAME, record.topic());
        if (record.key() != null) {
            span.setAttribute(KAFKA_MESSAGE_KEY, record.key().toString());
        }
        if (conversationId != null) {
            span.setAttribute(CONVERSATION_ID, conversationId);
        }
        return span.startSpan();
    }

    /** Puts the context of {@code span} into the record's headers, replacing any earlier trace headers. */
    public void inject(Span span, Headers headers) {
        openTelemetry.getPropagators().getTextMapPropagator()
                .inject(Context.current().with(span), headers, KafkaHeadersSetter.INSTANCE);
    }

    /** Records where the broker put the record, and counts it as sent. */
    public void sent(Span span, RecordMetadata metadata) {
        span.setAttribute(DESTINATION_PARTITION_ID, Integer.toString(metadata.partition()));
        if (metadata.hasOffset()) {
            span.setAttribute(KAFKA_OFFSET, metadata.offset());
        }
        sentMessages.add(1, Attributes.of(SYSTEM, KAFKA, DESTINATION_NAME, metadata.topic(), OPERATION_NAME, "send"));
    }

    /**
     * Processes a received record inside its {@code process <topic>} span (see {@link #startProcess}),
     * counting it and timing it; {@code work} returns null when all went well, or the error type.
     */
    public void process(ConsumerRecord<String, ?> record, Context parent, String consumerGroup, String conversationId,
            SpanRunner.SpanWork<String, RuntimeException> work) {
        process(record, new InboundContext(parent, List.of()), consumerGroup, conversationId, work);
    }

    /**
     * As {@link #process(ConsumerRecord, Context, String, String, SpanRunner.SpanWork)}, for a context
     * from {@link #extractChecked(Headers)}: what was wrong with the record's trace headers goes on
     * the span ({@link TraceContextProblem#ATTRIBUTE}), or that it had none ({@link TraceContextProblem#ABSENT}).
     */
    public void process(ConsumerRecord<String, ?> record, InboundContext inbound, String consumerGroup, String conversationId,
            SpanRunner.SpanWork<String, RuntimeException> work) {
        Context parent = inbound.context();
        Span span = startProcess(record, parent, consumerGroup, conversationId);
        TraceContextProblem.describe(span, inbound.problems());
        long started = System.nanoTime();
        var attributes = Attributes.builder().put(SYSTEM, KAFKA).put(DESTINATION_NAME, record.topic())
                .put(OPERATION_NAME, "process").put(CONSUMER_GROUP_NAME, consumerGroup);
        received(record, consumerGroup);
        // the record's context, not just the span, becomes current: its baggage goes on with the work
        Context current = parent.with(span);
        try (Scope ignored = current.makeCurrent()) {
            String errorType = work.run(span);
            if (errorType != null) {
                attributes.put(ErrorAttributes.ERROR_TYPE, errorType);
            }
        } catch (RuntimeException failure) {
            SpanRunner.markFailed(span, failure);
            attributes.put(ErrorAttributes.ERROR_TYPE, failure.getClass().getName());
            throw failure;
        } finally {
            try (Scope ignored = current.makeCurrent()) {
                processDuration.record(Durations.secondsSince(started), attributes.build());
            }
            span.end();
        }
    }

    /** Counts a received record ({@code messaging.client.consumed.messages}); {@link #process} does it for the records it handles. */
    public void received(ConsumerRecord<String, ?> record, String consumerGroup) {
        consumedMessages.add(1, Attributes.of(SYSTEM, KAFKA, DESTINATION_NAME, record.topic(), OPERATION_NAME, "receive",
                CONSUMER_GROUP_NAME, consumerGroup));
    }

    /** The context a record's headers carry: a remote span context, or none. */
    public Context extract(Headers headers) {
        return extractChecked(headers).context();
    }

    /**
     * The context a record's headers carry, with what was wrong with them: broken trace headers are
     * ignored (a new trace starts; broken baggage is dropped and the trace goes on), never thrown.
     * A record without any traceparent counts as {@link TraceContextProblem#MISSING}.
     */
    public InboundContext extractChecked(Headers headers) {
        var checked = new CheckedTraceHeaders(headers);
        // On top of the current context, which is empty where records are handled, unless the services run
        // under the OpenTelemetry Java agent with their own telemetry off: then it is the agent's, kept.
        Context context = openTelemetry.getPropagators().getTextMapPropagator().extract(Context.current(), headers, checked);
        List<String> problems = new ArrayList<>(checked.problems());
        if (!checked.traceparentPresent()) {
            problems.addFirst(TraceContextProblem.MISSING);
        } else if (checked.traceparentUsable() && !TraceIds.isRemoteParent(context)) {
            problems.addFirst(TraceContextProblem.INVALID_TRACEPARENT); // the propagator found it invalid
        }
        return new InboundContext(context, problems);
    }

    /**
     * Starts {@code process <topic>} for a received record, linked to the producer's span when the
     * parent is the context that came in the record.
     *
     * One span may cover several records (a streamed answer's): the caller ends it.
     *
     * @param parent the context to continue: normally {@link #extract(Headers)} of the record
     */
    public Span startProcess(ConsumerRecord<String, ?> record, Context parent, String consumerGroup, String conversationId) {
        SpanBuilder span = tracer.spanBuilder("process " + record.topic())
                .setParent(parent)
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute(SYSTEM, KAFKA)
                .setAttribute(OPERATION_TYPE, "process")
                .setAttribute(OPERATION_NAME, "process")
                .setAttribute(DESTINATION_NAME, record.topic())
                .setAttribute(DESTINATION_PARTITION_ID, Integer.toString(record.partition()))
                .setAttribute(KAFKA_OFFSET, record.offset())
                .setAttribute(CONSUMER_GROUP_NAME, consumerGroup);
        SpanContext producer = Span.fromContext(parent).getSpanContext();
        if (producer.isValid() && producer.isRemote()) {
            span.addLink(producer);
        }
        if (record.key() != null) {
            span.setAttribute(KAFKA_MESSAGE_KEY, record.key());
        }
        if (conversationId != null) {
            span.setAttribute(CONVERSATION_ID, conversationId);
        }
        if (record.value() instanceof byte[] bytes) {
            span.setAttribute(BODY_SIZE, (long) bytes.length);
        } else if (record.value() instanceof String text) {
            span.setAttribute(BODY_SIZE, (long) text.length());
        }
        return span.startSpan();
    }
}
