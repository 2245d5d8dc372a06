package io.ctxprop.gateway.kafka;

import io.ctxprop.telemetry.SpanRunner;
import io.ctxprop.telemetry.kafka.KafkaTracing;
import io.opentelemetry.api.trace.Span;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.stereotype.Component;

/**
 * Writes a reply inside a {@code send <reply topic>} PRODUCER span whose context travels in the
 * reply's headers, with the request's correlation id copied. Returns once the broker has the reply,
 * so the request's offset is only committed after that.
 */
@Component
class ReplySender {

    static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaTemplate<String, byte[]> kafka;
    private final KafkaTracing tracing;

    ReplySender(KafkaTemplate<String, byte[]> kafka, KafkaTracing tracing) {
        this.kafka = kafka;
        this.tracing = tracing;
    }

    void send(KafkaRequest request, byte[] value) {
        String conversationId = KafkaTracing.conversationId(request.correlationId());
        var reply = new ProducerRecord<>(request.replyTopic(), request.replyPartition(), conversationId, value);
        reply.headers().add(KafkaHeaders.CORRELATION_ID, request.correlationId());
        Span span = tracing.startSend(reply, conversationId);
        SpanRunner.call(span, current -> {
            tracing.inject(current, reply.headers());
            tracing.sent(current, awaitAck(kafka, reply));
            return null;
        });
    }

    /** Sends and waits for the broker's acknowledgement; a failure is rethrown unchecked. */
    static org.apache.kafka.clients.producer.RecordMetadata awaitAck(KafkaTemplate<String, byte[]> kafka,
            ProducerRecord<String, byte[]> record) {
        try {
            return kafka.send(record).get(SEND_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS).getRecordMetadata();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while sending to " + record.topic(), interrupted);
        } catch (ExecutionException | TimeoutException failure) {
            throw new IllegalStateException("Could not send to " + record.topic(), failure);
        }
    }
}
