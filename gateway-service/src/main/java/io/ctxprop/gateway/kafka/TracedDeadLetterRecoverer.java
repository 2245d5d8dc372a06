package io.ctxprop.gateway.kafka;

import io.ctxprop.telemetry.SpanRunner;
import io.ctxprop.telemetry.kafka.KafkaTracing;
import io.ctxprop.telemetry.streaming.StreamHeaders;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.trace.Span;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;

/**
 * Spring Kafka's dead-letter publisher, traced: the record goes to the dead-letter topic unchanged
 * (key, value, headers) with Spring's {@code kafka_dlt-original-*} and {@code kafka_dlt-exception-*}
 * headers, plus {@code dlt-reason} (a {@link PoisonReason} code) and {@code dlt-reason-detail}. The
 * send runs in a {@code send <dead-letter topic>} PRODUCER span whose context replaces the
 * record's trace headers, so a dead letter carries exactly one {@code traceparent} and continues the
 * request's trace; the sender's own {@code traceparent} is kept as {@code dlt-original-traceparent}.
 * Like Spring's, it waits for the broker for the producer's delivery timeout (plus a margin), and
 * throws when the dead letter could not be written.
 * <p>
 * The fallback ({@link #withoutValue}) writes the same dead letter without the request's value, and
 * without those of the request's headers it is told to drop, named in {@code dlt-headers-dropped}.
 * <p>
 * Of the request's headers, those a sender must not decide are never passed on ({@link #passedOn}):
 * any named like Spring's ({@code kafka_dlt-*}) or ours ({@code dlt-*}), so the coordinates, exception
 * and reason on a dead letter are only the genuine ones, and the {@code ctxprop-cancel-token} (a
 * capability: whoever reads the dead-letter topic must not be able to cancel a stream with it).
 */
final class TracedDeadLetterRecoverer extends DeadLetterPublishingRecoverer {

    static final String REASON = "dlt-reason";
    static final String REASON_DETAIL = "dlt-reason-detail";
    static final String ORIGINAL_TRACEPARENT = "dlt-original-traceparent";
    static final String VALUE_DROPPED = "dlt-value-dropped";
    static final String HEADERS_DROPPED = "dlt-headers-dropped";
    /** Names only this class writes: copies a sender put on the request are removed, not passed on as ours. */
    private static final List<String> OWN_HEADERS = List.of(REASON, REASON_DETAIL, ORIGINAL_TRACEPARENT, VALUE_DROPPED, HEADERS_DROPPED);
    /** Spring's dead-letter headers ({@code kafka_dlt-original-offset}, ...) and ours all start with these. */
    private static final List<String> DEAD_LETTER_PREFIXES = List.of("kafka_dlt-", "dlt-");
    static final AttributeKey<String> REASON_KEY = AttributeKey.stringKey("reason");

    private final KafkaOperations<?, ?> kafka;
    private final KafkaTracing tracing;
    private final String deadLetterTopic;
    private final LongCounter deadLettered;
    private final boolean withoutValue;
    private final Set<String> droppedHeaders;

    /** The whole dead letter: the request's key, value and headers. */
    TracedDeadLetterRecoverer(KafkaOperations<?, ?> kafka, KafkaTracing tracing, String deadLetterTopic, LongCounter deadLettered) {
        this(kafka, tracing, deadLetterTopic, deadLettered, false, Set.of());
    }

    private TracedDeadLetterRecoverer(KafkaOperations<?, ?> kafka, KafkaTracing tracing, String deadLetterTopic, LongCounter deadLettered,
            boolean withoutValue, Set<String> droppedHeaders) {
        // partition -1: the producer chooses (by key), whatever the dead-letter topic's partition count
        super(kafka, (record, failure) -> new TopicPartition(deadLetterTopic, -1));
        this.kafka = kafka;
        this.tracing = tracing;
        this.deadLetterTopic = deadLetterTopic;
        this.deadLettered = deadLettered;
        this.withoutValue = withoutValue;
        this.droppedHeaders = Set.copyOf(droppedHeaders);
        setHeadersFunction((record, failure) -> reasonHeaders(failure));
        // a stack trace of the gateway's own code says nothing to the sender and adds kilobytes per record
        excludeHeader(HeaderNames.HeadersToAdd.EX_STACKTRACE);
    }

    /**
     * The fallback when the broker refuses the whole dead letter: without the request's value
     * ({@code dlt-value-dropped}) and without the request's headers named in {@code dropped}
     * ({@code dlt-headers-dropped}); the request's other headers are kept.
     */
    TracedDeadLetterRecoverer withoutValue(Set<String> dropped) {
        return new TracedDeadLetterRecoverer(kafka, tracing, deadLetterTopic, deadLettered, true, dropped);
    }

    /**
     * Whether a request header of this name goes onto its dead letter: not one that pretends to be a
     * dead-letter header (they are added here, genuine), and not the cancel token.
     */
    static boolean passedOn(String name) {
        return DEAD_LETTER_PREFIXES.stream().noneMatch(name::startsWith) && !name.equals(StreamHeaders.CANCEL_TOKEN);
    }

    /** The dead letter is made from the request without the headers that are not {@link #passedOn}. */
    @Override
    public void accept(ConsumerRecord<?, ?> record, Consumer<?, ?> consumer, Exception exception) {
        super.accept(withPassedOnHeaders(record), consumer, exception);
    }

    private static ConsumerRecord<?, ?> withPassedOnHeaders(ConsumerRecord<?, ?> record) {
        Headers kept = new RecordHeaders();
        for (Header header : record.headers()) {
            if (passedOn(header.key())) {
                kept.add(header);
            }
        }
        return new ConsumerRecord<>(record.topic(), record.partition(), record.offset(), record.timestamp(), record.timestampType(),
                record.serializedKeySize(), record.serializedValueSize(), record.key(), record.value(), kept, record.leaderEpoch());
    }

    /** The reason a failure sends a record to the dead-letter topic. */
    static PoisonReason reasonOf(Exception failure) {
        return failure instanceof PoisonRecord poison ? poison.reason() : PoisonReason.PROCESSING_FAILED;
    }

    private static Headers reasonHeaders(Exception failure) {
        PoisonReason reason = reasonOf(failure);
        // a processing failure is described by its classes only: a message may quote the request
        Throwable cause = NestedExceptionUtils.getMostSpecificCause(failure);
        String detail = failure instanceof PoisonRecord poison ? poison.getMessage()
                : reason.sentence() + " Last failure: " + failure.getClass().getName()
                        + (cause == failure ? "" : " (cause: " + cause.getClass().getName() + ")");
        Headers headers = new RecordHeaders();
        headers.add(REASON, reason.code().getBytes(StandardCharsets.UTF_8));
        headers.add(REASON_DETAIL, detail.getBytes(StandardCharsets.UTF_8));
        return headers;
    }

    @Override
    protected ProducerRecord<Object, Object> createProducerRecord(ConsumerRecord<?, ?> record, TopicPartition topicPartition,
            Headers headers, byte[] key, byte[] value) {
        Header reason = headers.lastHeader(REASON);
        Header detail = headers.lastHeader(REASON_DETAIL);
        Headers cleaned = new RecordHeaders(headers.toArray());
        for (String own : OWN_HEADERS) {
            cleaned.remove(own);
        }
        droppedHeaders.forEach(cleaned::remove);
        cleaned.remove("traceparent");
        cleaned.remove("tracestate");
        cleaned.add(reason);
        cleaned.add(detail);
        if (!droppedHeaders.contains("traceparent")) {
            for (Header traceparent : record.headers().headers("traceparent")) {
                cleaned.add(ORIGINAL_TRACEPARENT, traceparent.value());
            }
        }
        if (withoutValue) {
            cleaned.add(VALUE_DROPPED, "true".getBytes(StandardCharsets.UTF_8));
            if (!droppedHeaders.isEmpty()) {
                cleaned.add(HEADERS_DROPPED, String.join(",", droppedHeaders).getBytes(StandardCharsets.UTF_8));
            }
        }
        return super.createProducerRecord(record, topicPartition, cleaned, key, withoutValue ? new byte[0] : value);
    }

    @Override
    protected void publish(ProducerRecord<Object, Object> deadLetter, KafkaOperations<Object, Object> kafka,
            ConsumerRecord<?, ?> record) {
        Span span = tracing.startSend(deadLetter, KafkaTracing.conversationId(record));
        SpanRunner.call(span, current -> {
            tracing.inject(current, deadLetter.headers());
            var sent = kafka.send(deadLetter);
            verifySendResult(kafka, deadLetter, sent, record);
            tracing.sent(current, sent.join().getRecordMetadata());
            return null;
        });
        Header reason = deadLetter.headers().lastHeader(REASON);
        deadLettered.add(1, Attributes.of(REASON_KEY, new String(reason.value(), StandardCharsets.UTF_8)));
    }
}
