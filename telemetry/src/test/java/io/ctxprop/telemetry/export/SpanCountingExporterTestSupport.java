package io.ctxprop.telemetry.export;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.Collections;

/** Runs a send as the OTLP exporter does inside {@link SpanCountingExporter#export}: with its span count on the thread. */
final class SpanCountingExporterTestSupport {

    private SpanCountingExporterTestSupport() {
    }

    static void withSpansInExport(int spans, Runnable send) {
        SpanExporter sending = new SpanExporter() {
            @Override
            public CompletableResultCode export(Collection<SpanData> batch) {
                send.run();
                return CompletableResultCode.ofSuccess();
            }

            @Override
            public CompletableResultCode flush() {
                return CompletableResultCode.ofSuccess();
            }

            @Override
            public CompletableResultCode shutdown() {
                return CompletableResultCode.ofSuccess();
            }
        };
        new SpanCountingExporter(sending).export(Collections.nCopies(spans, null));
    }
}
