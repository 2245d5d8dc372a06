package io.ctxprop.application.inspector;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads an OTLP {@code ExportTraceServiceRequest} straight off a stream, one span at a time, without
 * building the whole request: each span's bytes are kept as received, once {@link SpanCheck} has
 * passed them; the others are counted as rejected, with the first reasons. Field numbers are those of
 * opentelemetry-proto's trace.proto and resource.proto.
 */
final class OtlpSpanReader {

    /** What a request brought: the spans to store, and how many were rejected and why. */
    record Intake(List<ReceivedSpan> spans, long rejected, String reasons) {
    }

    /** Reasons named in a partial success; the rest are counted. */
    static final int REASONS_NAMED = 3;

    private static final HexFormat HEX = HexFormat.of();
    /** ExportTraceServiceRequest.resource_spans, ResourceSpans.resource, Span.trace_id. */
    private static final int FIELD_1 = lengthDelimited(1);
    /** ResourceSpans.scope_spans, ScopeSpans.spans. */
    private static final int FIELD_2 = lengthDelimited(2);

    private OtlpSpanReader() {
    }

    /** @throws InvalidProtocolBufferException for bytes that are not an export request */
    static Intake read(InputStream stream, SpanCheck check) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(stream);
        Collector collector = new Collector(check);
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (tag == FIELD_1) {
                int outer = in.pushLimit(in.readRawVarint32());
                resourceSpans(in, collector);
                endOfMessage(in, outer);
            } else {
                skip(in, tag);
            }
        }
        return collector.intake();
    }

    private static void resourceSpans(CodedInputStream in, Collector collector) throws IOException {
        Resource.Builder resource = Resource.newBuilder();
        List<byte[]> bodies = new ArrayList<>();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (tag == FIELD_1) {
                // Raw bytes first: parsing from the stream would wrap a too-large body's exception.
                resource.mergeFrom(in.readByteArray());
            } else if (tag == FIELD_2) {
                int outer = in.pushLimit(in.readRawVarint32());
                for (int inner = in.readTag(); inner != 0; inner = in.readTag()) {
                    if (inner == FIELD_2) {
                        bodies.add(in.readByteArray());
                    } else {
                        skip(in, inner);
                    }
                }
                endOfMessage(in, outer);
            } else {
                skip(in, tag);
            }
        }
        // The resource may follow its spans on the wire, so the spans are named after the message ends.
        String service = OtlpSpans.attribute(resource.getAttributesList(), "service.name", "unknown");
        String instance = OtlpSpans.attribute(resource.getAttributesList(), "service.instance.id", "");
        for (byte[] body : bodies) {
            collector.add(body, service, instance);
        }
    }

    /** The spans that pass the check, and the count and first reasons of those that do not. */
    private static final class Collector {
        private final SpanCheck check;
        private final List<ReceivedSpan> spans = new ArrayList<>();
        private final Set<String> reasons = new LinkedHashSet<>();
        private long rejected;

        Collector(SpanCheck check) {
            this.check = check;
        }

        void add(byte[] body, String service, String instance) {
            String problem;
            Span span = null;
            try {
                span = Span.parseFrom(body);
                problem = !check.validLabel(service) || !check.validLabel(instance) ? "the resource's service.name or service.instance.id is too long"
                        : check.problem(span);
            } catch (InvalidProtocolBufferException malformed) {
                problem = "the span is not a valid OTLP Span message";
            }
            if (problem != null) {
                rejected++;
                if (reasons.size() < REASONS_NAMED) {
                    reasons.add(problem);
                }
                return;
            }
            spans.add(new ReceivedSpan(HEX.formatHex(span.getTraceId().toByteArray()), span.getName(), service, instance, body));
        }

        Intake intake() {
            return new Intake(spans, rejected, rejected == 0 ? "" : rejected + " span(s) rejected: " + String.join("; ", reasons) + ".");
        }
    }

    private static int lengthDelimited(int field) {
        return field << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED;
    }

    /**
     * Leaves a nested message, which must have been read to its declared end: on a stream, the reader
     * also stops at the end of the input, and a body cut short would otherwise pass as a shorter one.
     */
    private static void endOfMessage(CodedInputStream in, int outer) throws IOException {
        if (in.getBytesUntilLimit() > 0) {
            throw new InvalidProtocolBufferException("The message ends before its declared length: the body was cut short.");
        }
        in.popLimit(outer);
    }

    private static void skip(CodedInputStream in, int tag) throws IOException {
        if (!in.skipField(tag)) {
            throw new InvalidProtocolBufferException("Unexpected end-group tag.");
        }
    }
}
