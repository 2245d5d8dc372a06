package io.ctxprop.telemetry.propagation;

import io.opentelemetry.api.common.AttributeKey;
import java.util.List;

/**
 * Why a message's trace context was not continued, or only in part: the {@code reason} of
 * {@code ctxprop.context.not_propagated} and the values of the span attribute {@link #ATTRIBUTE}.
 */
public final class TraceContextProblem {

    /** The span attribute that lists what was wrong with the inbound trace headers. */
    public static final AttributeKey<List<String>> ATTRIBUTE = AttributeKey.stringArrayKey("ctxprop.context.rejected");

    /** Version 00 is exactly 55 characters; later versions may append fields, but not without bound. */
    public static final int MAX_TRACEPARENT_LENGTH = 512;

    /** No traceparent came: the sender did not propagate (or could not). */
    public static final String MISSING = "missing";
    /** A traceparent that is not UTF-8 or not valid W3C: ignored, a new trace starts. */
    public static final String INVALID_TRACEPARENT = "invalid-traceparent";
    /** A traceparent longer than any version needs: ignored unread, a new trace starts. */
    public static final String OVERSIZED_TRACEPARENT = "oversized-traceparent";
    /** More than one traceparent: none can be trusted, a new trace starts. */
    public static final String DUPLICATE_TRACEPARENT = "duplicate-traceparent";
    /** A tracestate that is not UTF-8: dropped, the trace goes on. */
    public static final String INVALID_TRACESTATE = "invalid-tracestate";
    /** Baggage over the W3C limits or not UTF-8: dropped, the trace goes on. */
    public static final String INVALID_BAGGAGE = "invalid-baggage";

    private TraceContextProblem() {
    }
}
