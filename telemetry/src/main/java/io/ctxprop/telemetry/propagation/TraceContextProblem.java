package io.ctxprop.telemetry.propagation;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import java.util.List;

/**
 * Why a message's trace context was not continued, or only in part: the {@code reason} of
 * {@code ctxprop.context.not_propagated} and the values of the span attribute {@link #ATTRIBUTE}.
 */
public final class TraceContextProblem {

    /** The span attribute that lists what was wrong with the inbound trace headers. */
    public static final AttributeKey<List<String>> ATTRIBUTE = AttributeKey.stringArrayKey("ctxprop.context.rejected");

    /**
     * The span attribute saying that the caller sent no trace context at all ({@link #MISSING}): nothing
     * was wrong with it, there was none, as with a plain {@code curl}. Kept apart from {@link #ATTRIBUTE}
     * so that a span reads "the caller sent no context", not "its context was rejected".
     */
    public static final AttributeKey<Boolean> ABSENT = AttributeKey.booleanKey("ctxprop.context.absent");

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

    /** Puts what came of the inbound trace headers on the span: {@link #ABSENT}, or {@link #ATTRIBUTE} with what was rejected. */
    public static void describe(Span span, List<String> problems) {
        if (problems.contains(MISSING)) {
            span.setAttribute(ABSENT, true);
        }
        List<String> rejected = problems.stream().filter(problem -> !problem.equals(MISSING)).toList();
        if (!rejected.isEmpty()) {
            span.setAttribute(ATTRIBUTE, rejected);
        }
    }

    private TraceContextProblem() {
    }
}
