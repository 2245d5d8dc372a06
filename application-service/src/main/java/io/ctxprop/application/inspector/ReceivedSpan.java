package io.ctxprop.application.inspector;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.List;
import java.util.Map;

/**
 * A span received over OTLP, kept as the protobuf bytes of its {@code Span} message (one array,
 * UTF-8 text) beside the resource's service name and instance.
 */
record ReceivedSpan(String traceId, String name, String service, String serviceInstance, byte[] protobuf) implements StoredSpan {

    @Override
    public long bytes() {
        return OVERHEAD_BYTES + 16 + protobuf.length + StoredSpan.bytesOf(traceId) + StoredSpan.bytesOf(name)
                + StoredSpan.bytesOf(service) + StoredSpan.bytesOf(serviceInstance);
    }

    @Override
    public SpanRecord record() {
        try {
            return OtlpSpans.record(Span.parseFrom(protobuf), service, serviceInstance);
        } catch (InvalidProtocolBufferException malformed) {
            // Intake parses and checks every span (SpanCheck), so this is for bytes made some other way:
            // a broken attribute, event or link shows up here, on the one span, instead of hiding the trace.
            return new SpanRecord(traceId, "", "", name, "INTERNAL", service, serviceInstance, 0, 0, "ERROR",
                    "The span's other fields are not valid OTLP: " + malformed.getMessage(), Map.of(), List.of(), List.of());
        }
    }
}
