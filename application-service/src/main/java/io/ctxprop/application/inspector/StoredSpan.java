package io.ctxprop.application.inspector;

/**
 * A span as the store keeps it: the trace id and name it looks spans up by, and the rest in a
 * compact form that becomes a {@link SpanRecord} only when a page or the API reads the trace.
 */
sealed interface StoredSpan permits ReceivedSpan, LocalSpan {

    String traceId();

    String name();

    /** Decodes the span for reading; each call builds a new record. */
    SpanRecord record();
}
