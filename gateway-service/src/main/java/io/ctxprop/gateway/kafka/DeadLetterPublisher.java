package io.ctxprop.gateway.kafka;

import io.ctxprop.telemetry.SpanRunner;
import io.ctxprop.telemetry.kafka.KafkaTracing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.stereotype.Component;

/**
 * Moves an unprocessable request to the dead-letter topic, unchanged (key, value, headers), with
 * the reason and its origin in headers ({@code dlt-reason}, {@code dlt-reason-detail} and Spring's
 * {@code kafka_dlt-original-*}). The trace is kept: the dead letter carries the context of its own
 * {@code send} span, which continues the request's trace when its traceparent was valid; an invalid
 * one is kept as {@code dlt-original-traceparent} for whoever looks into it.
 */
@Component
class DeadLetterPublisher {

    static final String REASON = "dlt-reason";
    static final String REASON_DETAIL = "dlt-reason-detail";
    static final String ORIGINAL_TRACEPARENT = "dlt-original-traceparent";
    static final AttributeKey<String> REASON_KEY = AttributeKey.stringKey("reason");

    private final KafkaTemplate<String, byte[]> kafka;
    private final KafkaTracing tracing;
    private final TopicProperties topics;
    private final LongCounter deadLettered;

    DeadLetterPublisher(KafkaTemplate<String, byte[]> kafka, KafkaTracing tracing, TopicProperties topics, Meter meter) {
        this.kafka = kafka;
        this.tracing = tracing;
        this.topics = topics;
        this.deadLettered = meter.counterBuilder("ctxprop.kafka.dead_letters").setUnit("{record}")
                .setDescription("Request records moved to the dead-letter topic, by reason").build();
    }

    void publish(ConsumerRecord<String, byte[]> record, PoisonRecord poison, String conversationId) {
        var deadLetter = new ProducerRecord<>(topics.deadLetters(), null, record.key(), record.value(), headersOf(record, poison));
        Span span = tracing.startSend(deadLetter, conversationId);
        SpanRunner.call(span, current -> {
            tracing.inject(current, deadLetter.headers());
            tracing.sent(current, BrokerAck.await(kafka, deadLetter));
            return null;
        });
        deadLettered.add(1, Attributes.of(REASON_KEY, poison.reason().code()));
    }

    private static Headers headersOf(ConsumerRecord<String, byte[]> record, PoisonRecord poison) {
        Headers headers = new RecordHeaders();
        for (Header header : record.headers()) {
            boolean traceHeader = header.key().equals(RequestReader.TRACEPARENT) || header.key().equals(RequestReader.TRACESTATE);
            if (!traceHeader) {
                headers.add(header);
            }
        }
        if (poison.reason() == PoisonReason.INVALID_TRACEPARENT || poison.reason() == PoisonReason.DUPLICATE_TRACEPARENT) {
            record.headers().headers(RequestReader.TRACEPARENT).forEach(header -> headers.add(ORIGINAL_TRACEPARENT, header.value()));
        }
        headers.add(REASON, utf8(poison.reason().code()));
        headers.add(REASON_DETAIL, utf8(poison.getMessage()));
        headers.add(KafkaHeaders.DLT_EXCEPTION_MESSAGE, utf8(poison.getMessage()));
        headers.add(KafkaHeaders.DLT_ORIGINAL_TOPIC, utf8(record.topic()));
        headers.add(KafkaHeaders.DLT_ORIGINAL_PARTITION, ByteBuffer.allocate(Integer.BYTES).putInt(record.partition()).array());
        headers.add(KafkaHeaders.DLT_ORIGINAL_OFFSET, ByteBuffer.allocate(Long.BYTES).putLong(record.offset()).array());
        return headers;
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
