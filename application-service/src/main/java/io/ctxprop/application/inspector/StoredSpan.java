package io.ctxprop.application.inspector;

/**
 * A span as the store keeps it: the trace id and name it looks spans up by, and the rest in a
 * compact form that becomes a {@link SpanRecord} only when a page or the API reads the trace.
 */
sealed interface StoredSpan permits ReceivedSpan, LocalSpan {

    String traceId();

    String name();

    /** Fixed cost of a stored span: its object headers, references and the store's list slot. */
    long OVERHEAD_BYTES = 256;

    /** What keeping the span costs the heap, estimated from above (the store's byte bound counts this). */
    long bytes();

    /** Bytes of a string on the heap, from above (two per character, as a non-Latin-1 string). */
    static long bytesOf(String text) {
        return text == null ? 0 : 48 + 2L * text.length();
    }

    /** Decodes the span for reading; each call builds a new record. */
    SpanRecord record();
}
