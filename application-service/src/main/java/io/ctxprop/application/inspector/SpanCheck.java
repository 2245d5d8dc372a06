package io.ctxprop.application.inspector;

import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import com.google.protobuf.ByteString;
import java.util.List;

/**
 * What every received span must be before the inspector stores it: ids of the lengths OTLP gives
 * them and not all zero, a parent that is absent or a span id, times in order, and names and
 * attributes no larger than the configured bounds. A span that fails is not stored; the exporter is
 * told through OTLP's partial success. Unknown span kinds and status codes pass (shown as INTERNAL and
 * UNSET), as the OTLP specification asks of receivers.
 */
final class SpanCheck {

    static final int TRACE_ID_BYTES = 16;
    static final int SPAN_ID_BYTES = 8;

    private final int maxNameBytes;
    private final int maxAttributeBytes;

    SpanCheck(int maxNameBytes, int maxAttributeBytes) {
        this.maxNameBytes = maxNameBytes;
        this.maxAttributeBytes = maxAttributeBytes;
    }

    /** Why the span cannot be stored, or null when it can. */
    String problem(Span span) {
        if (!validId(span.getTraceId(), TRACE_ID_BYTES)) {
            return "trace_id has " + span.getTraceId().size() + " bytes or is zero; it must be 16 bytes, not all zero";
        }
        if (!validId(span.getSpanId(), SPAN_ID_BYTES)) {
            return "span_id has " + span.getSpanId().size() + " bytes or is zero; it must be 8 bytes, not all zero";
        }
        if (!span.getParentSpanId().isEmpty() && span.getParentSpanId().size() != SPAN_ID_BYTES) {
            return "parent_span_id has " + span.getParentSpanId().size() + " bytes; it must be empty or 8 bytes";
        }
        // fixed64 read as signed: a time past 2262 is negative here, and rejected with the reversed ones
        if (span.getStartTimeUnixNano() < 0 || span.getEndTimeUnixNano() < span.getStartTimeUnixNano()) {
            return "the times are out of order: start_time_unix_nano must not be after end_time_unix_nano (nor past the year 2262)";
        }
        if (span.getNameBytes().size() > maxNameBytes || span.getTraceStateBytes().size() > maxNameBytes) {
            return "the name or trace_state is over " + maxNameBytes + " bytes";
        }
        if (span.getStatus().getMessageBytes().size() > maxAttributeBytes || tooLarge(span.getAttributesList())) {
            return "an attribute or the status message is over " + maxAttributeBytes + " bytes";
        }
        for (Span.Event event : span.getEventsList()) {
            if (event.getNameBytes().size() > maxNameBytes || tooLarge(event.getAttributesList())) {
                return "an event's name is over " + maxNameBytes + " bytes or an attribute over " + maxAttributeBytes;
            }
        }
        for (Span.Link link : span.getLinksList()) {
            if (!validId(link.getTraceId(), TRACE_ID_BYTES) || !validId(link.getSpanId(), SPAN_ID_BYTES) || tooLarge(link.getAttributesList())) {
                return "a link's ids are not 16 and 8 bytes (not zero), or an attribute is over " + maxAttributeBytes + " bytes";
            }
        }
        return null;
    }

    /** Whether a resource's service name or instance can label stored spans. */
    boolean validLabel(String label) {
        return label.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= maxNameBytes;
    }

    private boolean tooLarge(List<KeyValue> attributes) {
        return attributes.stream().anyMatch(attribute -> attribute.getSerializedSize() > maxAttributeBytes);
    }

    private static boolean validId(ByteString id, int bytes) {
        if (id.size() != bytes) {
            return false;
        }
        for (int i = 0; i < bytes; i++) {
            if (id.byteAt(i) != 0) {
                return true;
            }
        }
        return false;
    }
}
