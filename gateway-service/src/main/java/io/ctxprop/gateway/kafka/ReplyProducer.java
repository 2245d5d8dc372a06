package io.ctxprop.gateway.kafka;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.KafkaUtils;
import org.springframework.stereotype.Component;

/**
 * Writes reply records, plain and streamed. A wait for the broker lasts as long as the producer
 * itself may take to deliver or fail ({@code delivery.timeout.ms}, plus a margin), so a request's
 * offset is only acknowledged once its reply is on the broker, and a failure throws.
 */
@Component
class ReplyProducer {

    private static final long MARGIN_MS = 5_000;

    private final KafkaTemplate<String, byte[]> kafka;
    private final Duration sendTimeout;

    ReplyProducer(KafkaTemplate<String, byte[]> kafka) {
        this.kafka = kafka;
        this.sendTimeout = KafkaUtils.determineSendTimeout(kafka.getProducerFactory().getConfigurationProperties(), MARGIN_MS, 0);
    }

    Duration sendTimeout() {
        return sendTimeout;
    }

    /** Sends without waiting; the future completes when the broker has the record, or fails. */
    CompletableFuture<RecordMetadata> send(ProducerRecord<String, byte[]> record) {
        return kafka.send(record).thenApply(result -> result.getRecordMetadata());
    }

    /** Sends and returns once the broker has the record. */
    RecordMetadata sendAndWait(ProducerRecord<String, byte[]> record) {
        try {
            return send(record).get(sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new KafkaException("Interrupted while sending to " + record.topic(), interrupted);
        } catch (ExecutionException | TimeoutException failure) {
            throw new KafkaException("Could not send to " + record.topic(), failure);
        }
    }
}
