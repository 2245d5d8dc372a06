package io.ctxprop.telemetry.testing;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/** The spans of decoded OTLP requests, flattened with their resource, for assertions. */
public record ReceivedSpans(List<ReceivedSpan> all) {

    public record ReceivedSpan(Resource resource, Span span) {

        public String name() {
            return span.getName();
        }

        public String traceId() {
            return HexFormat.of().formatHex(span.getTraceId().toByteArray());
        }

        public String spanId() {
            return HexFormat.of().formatHex(span.getSpanId().toByteArray());
        }

        public String parentSpanId() {
            return HexFormat.of().formatHex(span.getParentSpanId().toByteArray());
        }

        public Optional<String> resourceAttribute(String key) {
            return stringValue(resource.getAttributesList(), key);
        }

        public Optional<String> attribute(String key) {
            return stringValue(span.getAttributesList(), key);
        }

        private static Optional<String> stringValue(List<KeyValue> attributes, String key) {
            return attributes.stream().filter(kv -> kv.getKey().equals(key)).findFirst()
                    .map(kv -> kv.getValue().hasStringValue() ? kv.getValue().getStringValue() : kv.getValue().toString().strip());
        }
    }

    static ReceivedSpans of(List<ExportTraceServiceRequest> requests) {
        return new ReceivedSpans(requests.stream()
                .flatMap(request -> request.getResourceSpansList().stream())
                .flatMap(resourceSpans -> resourceSpans.getScopeSpansList().stream()
                        .flatMap(scope -> scope.getSpansList().stream())
                        .map(span -> new ReceivedSpan(resourceSpans.getResource(), span)))
                .toList());
    }

    public Optional<ReceivedSpan> named(String name) {
        return all.stream().filter(span -> span.name().equals(name)).findFirst();
    }
}
