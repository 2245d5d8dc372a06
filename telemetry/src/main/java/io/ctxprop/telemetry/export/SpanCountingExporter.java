package io.ctxprop.telemetry.export;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;

/**
 * Tells the fan-out below the OTLP exporter how many spans a body holds, so that each backend's
 * deliveries and drops are counted in spans, like the SDK's own counters. The sender SPI hands it
 * bytes only; the OTLP exporter calls its sender on the exporting thread, so the count goes there.
 */
final class SpanCountingExporter implements SpanExporter {

    private static final ThreadLocal<Integer> SPANS_IN_EXPORT = new ThreadLocal<>();

    private final SpanExporter delegate;

    SpanCountingExporter(SpanExporter delegate) {
        this.delegate = delegate;
    }

    /** The spans of the export under way on this thread; 0 when none is (then only bytes are known). */
    static int spansInExport() {
        Integer spans = SPANS_IN_EXPORT.get();
        return spans == null ? 0 : spans;
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
        SPANS_IN_EXPORT.set(spans.size());
        try {
            return delegate.export(spans);
        } finally {
            SPANS_IN_EXPORT.remove();
        }
    }

    @Override
    public CompletableResultCode flush() {
        return delegate.flush();
    }

    @Override
    public CompletableResultCode shutdown() {
        return delegate.shutdown();
    }

    @Override
    public String toString() {
        return "SpanCountingExporter{" + delegate + "}";
    }
}
