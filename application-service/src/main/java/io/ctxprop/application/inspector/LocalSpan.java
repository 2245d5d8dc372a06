package io.ctxprop.application.inspector;

import io.ctxprop.telemetry.attributes.OpenInferenceAttributes;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One of this service's own spans, handed over in-process: the SDK's immutable attributes kept as
 * they are, events reduced to their name, time and text, links to their span ids. Nothing of the SDK's live span
 * (or a recorded exception) stays referenced. Decodes to the same {@link SpanRecord} as the span
 * would after a trip through OTLP.
 */
record LocalSpan(String traceId, String spanId, String parentSpanId, String name, String kind, String service,
        String serviceInstance, long startNanos, long endNanos, String status, String statusMessage, Attributes attributes,
        List<String> linkedSpanIds, List<SpanEvent> events) implements StoredSpan {

    private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
    private static final AttributeKey<String> SERVICE_INSTANCE = AttributeKey.stringKey("service.instance.id");

    static LocalSpan of(SpanData span) {
        SpanContext parent = span.getParentSpanContext();
        String service = span.getResource().getAttribute(SERVICE_NAME);
        String instance = span.getResource().getAttribute(SERVICE_INSTANCE);
        return new LocalSpan(span.getTraceId(), span.getSpanId(), parent.isValid() ? parent.getSpanId() : "", span.getName(),
                span.getKind().name(), service == null ? "unknown" : service, instance == null ? "" : instance,
                span.getStartEpochNanos(), span.getEndEpochNanos(), span.getStatus().getStatusCode().name(),
                span.getStatus().getDescription(), span.getAttributes(),
                span.getLinks().stream().map(link -> link.getSpanContext().getSpanId()).toList(),
                span.getEvents().stream().map(LocalSpan::event).toList());
    }

    /** Whether this span is its trace's root (no parent) and carries the session's id. */
    boolean startedForSession(String session) {
        return parentSpanId.isEmpty() && session.equals(attributes.get(OpenInferenceAttributes.SESSION_ID));
    }

    @Override
    public long bytes() {
        long[] size = {OVERHEAD_BYTES + StoredSpan.bytesOf(traceId) + StoredSpan.bytesOf(spanId) + StoredSpan.bytesOf(parentSpanId)
                + StoredSpan.bytesOf(name) + StoredSpan.bytesOf(statusMessage) + 64L * linkedSpanIds.size()};
        attributes.forEach((key, value) -> size[0] += 64 + StoredSpan.bytesOf(key.getKey()) + StoredSpan.bytesOf(String.valueOf(value)));
        events.forEach(event -> size[0] += 64 + StoredSpan.bytesOf(event.name()) + StoredSpan.bytesOf(event.detail()));
        return size[0];
    }

    @Override
    public SpanRecord record() {
        Map<String, String> texts = new LinkedHashMap<>();
        attributes.forEach((key, value) -> texts.put(key.getKey(), text(value)));
        return new SpanRecord(traceId, spanId, parentSpanId, name, kind, service, serviceInstance, startNanos, endNanos,
                status, statusMessage, texts, linkedSpanIds, events);
    }

    private static SpanEvent event(EventData event) {
        Map<String, String> texts = new LinkedHashMap<>();
        event.getAttributes().forEach((key, value) -> texts.put(key.getKey(), text(value)));
        return new SpanEvent(event.getName(), event.getEpochNanos(), OtlpSpans.detail(texts));
    }

    /** The same text {@link OtlpSpans} makes of the value's OTLP form. */
    private static String text(Object value) {
        return switch (value) {
            case List<?> list -> list.stream().map(LocalSpan::text).collect(Collectors.joining(", ", "[", "]"));
            case Value<?> complex -> switch (complex.getValue()) {
                case ByteBuffer bytes -> {
                    byte[] copy = new byte[bytes.remaining()];
                    bytes.duplicate().get(copy);
                    yield HexFormat.of().formatHex(copy);
                }
                case List<?> list -> text(list);
                case String string -> string;
                default -> complex.asString();
            };
            default -> String.valueOf(value);
        };
    }
}
