package io.ctxprop.telemetry.propagation;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;

/** The trace id to show a user, or null when no valid trace is recording. */
public final class TraceIds {

    private TraceIds() {
    }

    public static String current() {
        return of(Span.current().getSpanContext());
    }

    public static String of(Context context) {
        return of(Span.fromContext(context).getSpanContext());
    }

    public static String of(SpanContext spanContext) {
        return spanContext.isValid() ? spanContext.getTraceId() : null;
    }

    /** True when the extracted context carries a valid span from another process. */
    public static boolean isRemoteParent(Context extracted) {
        SpanContext parent = Span.fromContext(extracted).getSpanContext();
        return parent.isValid() && parent.isRemote();
    }
}
