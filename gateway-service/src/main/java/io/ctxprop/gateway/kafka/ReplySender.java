package io.ctxprop.gateway.kafka;

import io.ctxprop.telemetry.SpanRunner;
import io.ctxprop.telemetry.kafka.KafkaTracing;
import io.opentelemetry.api.trace.Span;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.kafka.support.KafkaUtils;
import org.springframework.stereotype.Component;

/**
 * Writes a reply inside a {@code send <reply topic>} PRODUCER span whose context travels in the
 * reply's headers, with the request's correlation id copied. Returns once the broker has the reply,
 * so the request's offset is only committed after that; waits as long as the producer itself may
 * take to deliver or fail ({@code delivery.timeout.ms}, plus a margin), and throws when it failed.
 */
@Component
class ReplySender {

    private static final long MARGIN_MS = 5_000;

    private final KafkaTemplate<String, byte[]> kafka;
    private final KafkaTracing tracing;
    private final Duration sendTimeout;

    ReplySender(KafkaTemplate<String, byte[]> kafka, KafkaTracing tracing) {
        this.kafka = kafka;
        this.tracing = tracing;
        this.sendTimeout = KafkaUtils.determineSendTimeout(kafka.getProducerFactory().getConfigurationProperties(), MARGIN_MS, 0);
    }

    void send(KafkaRequest request, byte[] value) {
        String conversationId = KafkaTracing.conversationId(request.correlationId());
        var reply = new ProducerRecord<>(request.replyTopic(), request.replyPartition(), conversationId, value);
        reply.headers().add(KafkaHeaders.CORRELATION_ID, request.correlationId());
        Span span = tracing.startSend(reply, conversationId);
        SpanRunner.call(span, current -> {
            tracing.inject(current, reply.headers());
            tracing.sent(current, acknowledged(reply));
            return null;
        });
    }

    private RecordMetadata acknowledged(ProducerRecord<String, byte[]> reply) {
        try {
            return kafka.send(reply).get(sendTimeout.toMillis(), TimeUnit.MILLISECONDS).getRecordMetadata();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new KafkaException("Interrupted while sending to " + reply.topic(), interrupted);
        } catch (ExecutionException | TimeoutException failure) {
            throw new KafkaException("Could not send to " + reply.topic(), failure);
        }
    }
}
