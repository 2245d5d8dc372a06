package io.ctxprop.application.inspector;

import com.google.protobuf.InvalidProtocolBufferException;
import io.ctxprop.telemetry.web.TracedProblem;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /v1/traces}: an OTLP/HTTP trace receiver, protobuf plain or gzipped, as the
 * OpenTelemetry exporters send it. Anything else is a clean 4xx and leaves the store unchanged:
 * 415 for another content type (OTLP/JSON included), 413 for a body over the limit (as sent, and
 * once inflated), 400 for bytes that
 * are not an export request (a truncated gzip stream included). The body is parsed as it streams in,
 * never held whole: an exporter's batch is easily 0.8 MiB, which G1 would allocate as a humongous object.
 * Each span is checked ({@link SpanCheck}); those that fail are not stored and are reported back in
 * OTLP's partial success ({@code rejected_spans}, {@code error_message}), as a collector does. With
 * {@code INSPECTOR_INGEST_KEY} set, only callers with that bearer key get this far ({@link InspectorAccessConfiguration}).
 */
@RestController
class OtlpTraceReceiver {

    static final String PROTOBUF = "application/x-protobuf";

    private final TraceStore store;
    private final InspectorProperties properties;
    private final SpanCheck check;

    OtlpTraceReceiver(TraceStore store, InspectorProperties properties) {
        this.store = store;
        this.properties = properties;
        this.check = new SpanCheck(properties.maxNameBytes(), properties.maxAttributeBytes());
    }

    @PostMapping("/v1/traces")
    ResponseEntity<byte[]> receive(HttpServletRequest request) throws IOException {
        String contentType = request.getContentType();
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith(PROTOBUF)) {
            throw new TracedProblem(415, "Unsupported Media Type",
                    "This receiver takes OTLP/HTTP as application/x-protobuf (set OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf).");
        }
        if (request.getContentLengthLong() > properties.maxBodyBytes()) {
            throw tooLarge();
        }
        OtlpSpanReader.Intake intake;
        // Bounded twice: the bytes as sent (a gzip header with an endless name, or endless empty gzip members,
        // inflate to nothing) and the bytes inflated (a small gzip bomb).
        var raw = new BoundedInputStream(request.getInputStream(), properties.maxBodyBytes());
        try (InputStream body = new BoundedInputStream(decoded(request, raw), properties.maxBodyBytes())) {
            intake = OtlpSpanReader.read(body, check);
            // gzip stops at a member's end, or takes a failed read of the next header for the end: what is left counts too
            raw.transferTo(OutputStream.nullOutputStream());
        } catch (BoundedInputStream.TooLarge tooLarge) {
            throw tooLarge();
        } catch (InvalidProtocolBufferException | ZipException | EOFException malformed) {
            throw new TracedProblem(400, "Malformed OTLP request", "The body is not an OTLP ExportTraceServiceRequest.");
        }
        store.add(intake.spans());
        var response = ExportTraceServiceResponse.newBuilder();
        if (intake.rejected() > 0) {
            response.setPartialSuccess(ExportTracePartialSuccess.newBuilder()
                    .setRejectedSpans(intake.rejected()).setErrorMessage(intake.reasons()));
        }
        return ResponseEntity.ok().header("Content-Type", PROTOBUF).body(response.build().toByteArray());
    }

    private static InputStream decoded(HttpServletRequest request, InputStream raw) throws IOException {
        String encoding = request.getHeader("Content-Encoding");
        if (encoding == null || encoding.isBlank() || encoding.equalsIgnoreCase("identity")) {
            return raw;
        }
        if (encoding.equalsIgnoreCase("gzip")) {
            return new GZIPInputStream(raw);
        }
        throw new TracedProblem(415, "Unsupported Content-Encoding", "Only gzip or no encoding is accepted, not " + encoding + ".");
    }

    private TracedProblem tooLarge() {
        return new TracedProblem(413, "OTLP request too large",
                "The body is larger than " + properties.maxBodyBytes() + " bytes; lower OTEL_BSP_MAX_EXPORT_BATCH_SIZE.");
    }
}
