package io.ctxprop.telemetry.export;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.export.SpanExporter;

/**
 * An exporter that hands this service's spans to a trace receiver inside the service itself. As a
 * bean it is batched like any exporter ({@code OTEL_BSP_*}), so request threads never convert a span,
 * and an OTLP exporter that would send the same spans to this service over HTTP is dropped
 * ({@link InProcessExport}).
 */
public interface InProcessSpanExporter extends SpanExporter {

    /** Nothing is buffered in-process: each batch is handed over as it is exported. */
    @Override
    default CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
    }

    @Override
    default CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
    }
}
