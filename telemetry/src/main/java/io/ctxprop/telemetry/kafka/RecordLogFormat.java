package io.ctxprop.telemetry.kafka;

import org.springframework.kafka.support.KafkaUtils;

/**
 * How Spring Kafka names a record in its own log lines ("Reply timed out for: ...", "Dead-letter
 * publication failed for: ..."): topic, partition, offset and key, never the value, which holds the
 * prompt or the answer. Spring's default prints a producer record whole.
 */
public final class RecordLogFormat {

    /** Installs the format process-wide (Spring Kafka keeps its formatters in static fields). */
    public RecordLogFormat() {
        KafkaUtils.setProducerRecordFormatter(record -> record.topic() + "-" + (record.partition() == null ? "?" : record.partition())
                + " key " + record.key());
        KafkaUtils.setConsumerRecordFormatter(record -> record.topic() + "-" + record.partition() + "@" + record.offset()
                + " key " + record.key());
    }
}
