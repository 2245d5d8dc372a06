package io.ctxprop.telemetry;

import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;

/**
 * Registered only when no exporter is configured at all. The SDK hands out invalid, all-zero span
 * contexts while its tracer provider has no processor; with this one, spans are still recorded and
 * propagated, so replies, problems and log lines keep real trace ids, though the spans go nowhere.
 */
final class RecordOnlySpanProcessor implements SpanProcessor {

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {
    }

    @Override
    public boolean isStartRequired() {
        return false;
    }

    @Override
    public void onEnd(ReadableSpan span) {
    }

    @Override
    public boolean isEndRequired() {
        return false;
    }
}
