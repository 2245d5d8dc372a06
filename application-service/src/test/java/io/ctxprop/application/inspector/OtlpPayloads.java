package io.ctxprop.application.inspector;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.HexFormat;

/** Hand-built OTLP export requests, one service and its spans at a time. */
final class OtlpPayloads {

    private final ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();

    /** Adds spans of one service. Each span: {trace id, span id, parent id ("" for none), name, kind, attributes k=v...}. */
    OtlpPayloads service(String service, Span... spans) {
        request.addResourceSpans(ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(attribute("service.name", service)))
                .addScopeSpans(ScopeSpans.newBuilder().addAllSpans(java.util.List.of(spans))));
        return this;
    }

    byte[] bytes() {
        return request.build().toByteArray();
    }

    static Span span(String traceId, String spanId, String parentId, String name, Span.SpanKind kind, long startMillis,
            long endMillis, String... attributes) {
        var span = Span.newBuilder()
                .setTraceId(bytes(traceId))
                .setSpanId(bytes(spanId))
                .setParentSpanId(parentId.isEmpty() ? ByteString.EMPTY : bytes(parentId))
                .setName(name)
                .setKind(kind)
                .setStartTimeUnixNano(startMillis * 1_000_000)
                .setEndTimeUnixNano(endMillis * 1_000_000);
        for (String attribute : attributes) {
            int equals = attribute.indexOf('=');
            span.addAttributes(attribute(attribute.substring(0, equals), attribute.substring(equals + 1)));
        }
        return span.build();
    }

    /** The span as the Java SDK's exporter marks one whose parent came from another process (OTLP span flags bits 8 and 9). */
    static Span withRemoteParent(Span span) {
        return span.toBuilder().setFlags(0x100 | 0x200 | 0x01).build();
    }

    /** The span as the exporter marks one whose parent is in the same process (bit 8: "known", bit 9 clear). */
    static Span withLocalParent(Span span) {
        return span.toBuilder().setFlags(0x100 | 0x01).build();
    }

    /** The span with an event at {@code atMillis}, attributes k=v... */
    static Span withEvent(Span span, String name, long atMillis, String... attributes) {
        var event = Span.Event.newBuilder().setName(name).setTimeUnixNano(atMillis * 1_000_000);
        for (String attribute : attributes) {
            int equals = attribute.indexOf('=');
            event.addAttributes(attribute(attribute.substring(0, equals), attribute.substring(equals + 1)));
        }
        return span.toBuilder().addEvents(event).build();
    }

    private static KeyValue attribute(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    private static ByteString bytes(String hex) {
        return ByteString.copyFrom(HexFormat.of().parseHex(hex));
    }
}
