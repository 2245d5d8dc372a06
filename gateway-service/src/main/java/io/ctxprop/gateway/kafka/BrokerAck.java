package io.ctxprop.gateway.kafka;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * The gateway's sends (replies and dead letters) wait for the broker's acknowledgement, so that a
 * request's offset is only acknowledged once what it produced is safely on the broker.
 */
final class BrokerAck {

    static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    private BrokerAck() {
    }

    /** Sends and waits for the broker's acknowledgement; a failure is rethrown unchecked. */
    static RecordMetadata await(KafkaTemplate<String, byte[]> kafka,
            ProducerRecord<String, byte[]> record) {
        try {
            return kafka.send(record).get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).getRecordMetadata();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while sending to " + record.topic(), interrupted);
        } catch (ExecutionException | TimeoutException failure) {
            throw new IllegalStateException("Could not send to " + record.topic(), failure);
        }
    }
}
