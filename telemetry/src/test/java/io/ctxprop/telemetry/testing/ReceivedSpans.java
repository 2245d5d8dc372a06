package io.ctxprop.telemetry.testing;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
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

        /** Every piece of text the span carries: its name, attribute values, events, links' attributes and status. */
        public List<String> texts() {
            List<String> texts = new ArrayList<>();
            texts.add(span.getName());
            addValues(span.getAttributesList(), texts);
            for (Span.Event event : span.getEventsList()) {
                texts.add(event.getName());
                addValues(event.getAttributesList(), texts);
            }
            for (Span.Link link : span.getLinksList()) {
                addValues(link.getAttributesList(), texts);
            }
            texts.add(span.getStatus().getMessage());
            return texts;
        }

        private static void addValues(List<KeyValue> attributes, List<String> texts) {
            attributes.forEach(attribute -> addValue(attribute.getValue(), texts));
        }

        private static void addValue(AnyValue value, List<String> texts) {
            if (value.hasArrayValue()) {
                value.getArrayValue().getValuesList().forEach(element -> addValue(element, texts));
            } else if (value.hasKvlistValue()) {
                addValues(value.getKvlistValue().getValuesList(), texts);
            } else if (value.hasStringValue()) {
                texts.add(value.getStringValue());
            } else {
                texts.add(value.toString().strip());
            }
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
