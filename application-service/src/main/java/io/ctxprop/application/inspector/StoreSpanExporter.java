package io.ctxprop.application.inspector;

import io.ctxprop.telemetry.export.InProcessSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.Collection;
import org.springframework.stereotype.Component;

/**
 * The application's own spans into its trace store, in-process: the telemetry batches this exporter
 * (off the request threads) and drops an OTLP exporter that would post the same spans to this
 * service's own {@code /v1/traces}.
 */
@Component
class StoreSpanExporter implements InProcessSpanExporter {

    private final TraceStore store;

    StoreSpanExporter(TraceStore store) {
        this.store = store;
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
        store.add(spans.stream().map(LocalSpan::of).toList());
        return CompletableResultCode.ofSuccess();
    }
}
