package io.ctxprop.telemetry;

import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.baggage.BaggageEntry;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import java.util.Set;

/**
 * Copies the allow-listed baggage entries (by default only {@code session.id}) onto every span as it
 * starts, so Phoenix's Sessions view groups a user's requests in both services. Every other baggage
 * entry stays off the spans: baggage comes from callers and is not to be trusted or stored.
 */
final class BaggageSpanAttributes implements SpanProcessor {

    static final int MAX_VALUE_LENGTH = 256;

    private final Set<String> allowed;

    BaggageSpanAttributes(Set<String> allowed) {
        this.allowed = Set.copyOf(allowed);
    }

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {
        Baggage baggage = Baggage.fromContext(parentContext);
        for (String key : allowed) {
            BaggageEntry entry = baggage.asMap().get(key);
            if (entry != null && !entry.getValue().isEmpty()) {
                span.setAttribute(key, SpanBaggage.cut(entry.getValue()));
            }
        }
    }

    @Override
    public boolean isStartRequired() {
        return !allowed.isEmpty();
    }

    @Override
    public void onEnd(ReadableSpan span) {
    }

    @Override
    public boolean isEndRequired() {
        return false;
    }
}
