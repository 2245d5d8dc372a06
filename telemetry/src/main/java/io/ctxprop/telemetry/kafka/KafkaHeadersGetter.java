package io.ctxprop.telemetry.kafka;

import io.opentelemetry.context.propagation.TextMapGetter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.stream.StreamSupport;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/** Reads trace context from Kafka record headers; null-safe for records without headers or values. */
public enum KafkaHeadersGetter implements TextMapGetter<Headers> {
    INSTANCE;

    @Override
    public Iterable<String> keys(Headers carrier) {
        return carrier == null ? Collections.emptyList()
                : StreamSupport.stream(carrier.spliterator(), false).map(Header::key).toList();
    }

    @Override
    public String get(Headers carrier, String key) {
        if (carrier == null || key == null) {
            return null;
        }
        Header header = carrier.lastHeader(key);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Override
    public Iterator<String> getAll(Headers carrier, String key) {
        if (carrier == null || key == null) {
            return Collections.emptyIterator();
        }
        // A loop, not a stream: this runs for every record (baggage is read through it).
        var values = new ArrayList<String>(1);
        for (Header header : carrier.headers(key)) {
            if (header.value() != null) {
                values.add(new String(header.value(), StandardCharsets.UTF_8));
            }
        }
        return values.iterator();
    }
}
