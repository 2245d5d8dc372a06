package io.ctxprop.application.inspector;

import java.util.List;
import java.util.Map;

/**
 * One received span, flattened for the inspector: ids as lowercase hex, the service it came from,
 * times in epoch nanoseconds, attribute values as text.
 *
 * @param parentRemote whether the parent span came from another process (a {@code traceparent} header
 *                     or a record's headers), as the exporter says: OTLP's span flags, or the SDK's
 *                     parent context for this service's own spans. False when unknown.
 */
public record SpanRecord(String traceId, String spanId, String parentSpanId, boolean parentRemote, String name, String kind, String service,
        String serviceInstance, long startNanos, long endNanos, String status, String statusMessage,
        Map<String, String> attributes, List<String> linkedSpanIds, List<SpanEvent> events) {

    public boolean isRoot() {
        return parentSpanId.isEmpty();
    }

    public long durationNanos() {
        return Math.max(0, endNanos - startNanos);
    }

    public String attribute(String key) {
        return attributes.getOrDefault(key, "");
    }

    /** The hop this span crossed, if any: "Kafka" for messaging spans, "HTTP" for HTTP clients and servers. */
    public String hop() {
        if (attributes.containsKey("messaging.system")) {
            return "Kafka";
        }
        if (attributes.containsKey("http.request.method") && (kind.equals("CLIENT") || kind.equals("SERVER"))) {
            return "HTTP";
        }
        return "";
    }
}
