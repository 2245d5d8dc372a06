package io.ctxprop.telemetry.kafka;

import io.opentelemetry.context.propagation.TextMapSetter;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;

/**
 * Writes trace context into Kafka record headers. Remove-then-add: a record never carries two
 * {@code traceparent} headers, even when it is re-sent or was built from another record's headers.
 */
public enum KafkaHeadersSetter implements TextMapSetter<Headers> {
    INSTANCE;

    @Override
    public void set(Headers carrier, String key, String value) {
        if (carrier == null || key == null || value == null) {
            return;
        }
        carrier.remove(key);
        carrier.add(key, value.getBytes(StandardCharsets.UTF_8));
    }
}
