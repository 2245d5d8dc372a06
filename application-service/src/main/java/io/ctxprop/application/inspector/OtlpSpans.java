package io.ctxprop.application.inspector;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Turns a decoded OTLP span into a {@link SpanRecord}: the text forms the inspector shows. */
final class OtlpSpans {

    private static final HexFormat HEX = HexFormat.of();
    private static final int HAS_IS_REMOTE = 0x100;
    private static final int IS_REMOTE = 0x200;

    private OtlpSpans() {
    }

    /** The text of a resource attribute (the last one of that key, as a map of them would hold), or {@code absent}. */
    static String attribute(List<KeyValue> keyValues, String key, String absent) {
        String found = absent;
        for (KeyValue keyValue : keyValues) {
            if (keyValue.getKey().equals(key)) {
                found = text(keyValue.getValue());
            }
        }
        return found;
    }

    static SpanRecord record(Span span, String service, String instance) {
        List<String> links = span.getLinksList().stream().map(link -> HEX.formatHex(link.getSpanId().toByteArray())).toList();
        List<SpanEvent> events = span.getEventsList().stream()
                .map(event -> new SpanEvent(event.getName(), event.getTimeUnixNano(), detail(attributes(event.getAttributesList()))))
                .toList();
        return new SpanRecord(HEX.formatHex(span.getTraceId().toByteArray()), HEX.formatHex(span.getSpanId().toByteArray()),
                HEX.formatHex(span.getParentSpanId().toByteArray()), parentRemote(span.getFlags()), span.getName(), kind(span.getKind()), service, instance,
                span.getStartTimeUnixNano(), span.getEndTimeUnixNano(), status(span.getStatus()), span.getStatus().getMessage(),
                attributes(span.getAttributesList()), links, events);
    }

    /**
     * OTLP's span flags: bit 8 says whether the exporter knew if the parent was remote, bit 9 says it was
     * (the Java SDK's exporter sets both). Unknown counts as local.
     */
    static boolean parentRemote(int flags) {
        return (flags & HAS_IS_REMOTE) != 0 && (flags & IS_REMOTE) != 0;
    }

    /** An event's detail: an exception's message alone, else its attributes but a stack trace (too long to list). */
    static String detail(Map<String, String> attributes) {
        String message = attributes.get("exception.message");
        if (message != null) {
            return message;
        }
        return attributes.entrySet().stream().filter(entry -> !entry.getKey().equals("exception.stacktrace"))
                .map(entry -> entry.getKey() + "=" + entry.getValue()).collect(Collectors.joining(", "));
    }

    private static String kind(Span.SpanKind kind) {
        return switch (kind) {
            case SPAN_KIND_SERVER -> "SERVER";
            case SPAN_KIND_CLIENT -> "CLIENT";
            case SPAN_KIND_PRODUCER -> "PRODUCER";
            case SPAN_KIND_CONSUMER -> "CONSUMER";
            default -> "INTERNAL";
        };
    }

    private static String status(Status status) {
        return switch (status.getCode()) {
            case STATUS_CODE_ERROR -> "ERROR";
            case STATUS_CODE_OK -> "OK";
            default -> "UNSET";
        };
    }

    private static Map<String, String> attributes(List<KeyValue> keyValues) {
        Map<String, String> attributes = new LinkedHashMap<>();
        keyValues.forEach(kv -> attributes.put(kv.getKey(), text(kv.getValue())));
        return attributes;
    }

    private static String text(AnyValue value) {
        return switch (value.getValueCase()) {
            case STRING_VALUE -> value.getStringValue();
            case BOOL_VALUE -> Boolean.toString(value.getBoolValue());
            case INT_VALUE -> Long.toString(value.getIntValue());
            case DOUBLE_VALUE -> Double.toString(value.getDoubleValue());
            case ARRAY_VALUE -> value.getArrayValue().getValuesList().stream().map(OtlpSpans::text)
                    .collect(Collectors.joining(", ", "[", "]"));
            case BYTES_VALUE -> HEX.formatHex(value.getBytesValue().toByteArray());
            default -> value.toString().strip();
        };
    }
}
