package io.ctxprop.application.inspector;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import io.opentelemetry.proto.resource.v1.Resource;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Reads an OTLP {@code ExportTraceServiceRequest} straight off a stream, one span at a time, without
 * building the whole request: each span's bytes are kept as received and only its trace id and name
 * are read now. Field numbers are those of opentelemetry-proto's trace.proto and resource.proto.
 */
final class OtlpSpanReader {

    private static final HexFormat HEX = HexFormat.of();
    /** ExportTraceServiceRequest.resource_spans, ResourceSpans.resource, Span.trace_id. */
    private static final int FIELD_1 = lengthDelimited(1);
    /** ResourceSpans.scope_spans, ScopeSpans.spans. */
    private static final int FIELD_2 = lengthDelimited(2);
    private static final int SPAN_NAME = lengthDelimited(5);

    private OtlpSpanReader() {
    }

    /** @throws InvalidProtocolBufferException for bytes that are not an export request */
    static List<ReceivedSpan> read(InputStream stream) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(stream);
        List<ReceivedSpan> spans = new ArrayList<>();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (tag == FIELD_1) {
                int outer = in.pushLimit(in.readRawVarint32());
                resourceSpans(in, spans);
                in.popLimit(outer);
            } else {
                skip(in, tag);
            }
        }
        return spans;
    }

    private static void resourceSpans(CodedInputStream in, List<ReceivedSpan> spans) throws IOException {
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
                in.popLimit(outer);
            } else {
                skip(in, tag);
            }
        }
        // The resource may follow its spans on the wire, so the spans are named after the message ends.
        String service = OtlpSpans.attribute(resource.getAttributesList(), "service.name", "unknown");
        String instance = OtlpSpans.attribute(resource.getAttributesList(), "service.instance.id", "");
        for (byte[] body : bodies) {
            spans.add(span(body, service, instance));
        }
    }

    private static ReceivedSpan span(byte[] body, String service, String instance) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(body);
        String traceId = "";
        String name = "";
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (tag == FIELD_1) {
                traceId = HEX.formatHex(in.readByteArray());
            } else if (tag == SPAN_NAME) {
                name = in.readStringRequireUtf8();
            } else {
                skip(in, tag);
            }
        }
        return new ReceivedSpan(traceId, name, service, instance, body);
    }

    private static int lengthDelimited(int field) {
        return field << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED;
    }

    private static void skip(CodedInputStream in, int tag) throws IOException {
        if (!in.skipField(tag)) {
            throw new InvalidProtocolBufferException("Unexpected end-group tag.");
        }
    }
}
