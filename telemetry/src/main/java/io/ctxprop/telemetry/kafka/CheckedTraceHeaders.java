package io.ctxprop.telemetry.kafka;

import io.ctxprop.telemetry.propagation.StrictUtf8;
import io.ctxprop.telemetry.propagation.TraceContextProblem;
import io.ctxprop.telemetry.propagation.W3cBaggageLimits;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * A record's W3C trace headers, checked before they are extracted: what breaks the rules is left
 * out (so the propagator never sees it) and named, and everything else reads through as from
 * {@link KafkaHeadersGetter}. A broken {@code traceparent} (not UTF-8, longer than any version can
 * need, or sent twice) means a new trace; broken {@code baggage} is dropped and the trace goes on.
 * Telemetry never costs a request: nothing here throws.
 */
final class CheckedTraceHeaders implements TextMapGetter<Headers> {

    static final String TRACEPARENT = "traceparent";
    static final String TRACESTATE = "tracestate";
    static final String BAGGAGE = "baggage";

    private final List<String> problems = new ArrayList<>(1);
    private final boolean traceparentUsable;
    private final boolean tracestateUsable;
    private final boolean baggageUsable;
    private final boolean traceparentPresent;

    CheckedTraceHeaders(Headers headers) {
        int traceparents = count(headers, TRACEPARENT);
        traceparentPresent = traceparents > 0;
        if (traceparents > 1) {
            problems.add(TraceContextProblem.DUPLICATE_TRACEPARENT);
            traceparentUsable = false;
        } else if (traceparents == 1) {
            String traceparent = strictUtf8(headers.lastHeader(TRACEPARENT));
            if (traceparent == null) {
                problems.add(TraceContextProblem.INVALID_TRACEPARENT);
                traceparentUsable = false;
            } else if (traceparent.length() > TraceContextProblem.MAX_TRACEPARENT_LENGTH) {
                problems.add(TraceContextProblem.OVERSIZED_TRACEPARENT);
                traceparentUsable = false;
            } else {
                traceparentUsable = true;
            }
        } else {
            traceparentUsable = false;
        }
        // tracestate only means something beside the traceparent it belongs to
        Header tracestate = headers.lastHeader(TRACESTATE);
        tracestateUsable = traceparentUsable && tracestate != null && strictUtf8(tracestate) != null;
        if (traceparentUsable && tracestate != null && !tracestateUsable) {
            problems.add(TraceContextProblem.INVALID_TRACESTATE);
        }
        baggageUsable = baggageWithinLimits(headers);
        if (!baggageUsable) {
            problems.add(TraceContextProblem.INVALID_BAGGAGE);
        }
    }

    /** Whether a traceparent header came at all (usable or not). */
    boolean traceparentPresent() {
        return traceparentPresent;
    }

    /** Whether the traceparent was handed to the propagator (one, UTF-8, of a sane length). */
    boolean traceparentUsable() {
        return traceparentUsable;
    }

    /** What was left out, as {@link TraceContextProblem} codes, in the order found. */
    List<String> problems() {
        return problems;
    }

    @Override
    public Iterable<String> keys(Headers carrier) {
        return KafkaHeadersGetter.INSTANCE.keys(carrier);
    }

    @Override
    public String get(Headers carrier, String key) {
        return usable(key) ? KafkaHeadersGetter.INSTANCE.get(carrier, key) : null;
    }

    @Override
    public Iterator<String> getAll(Headers carrier, String key) {
        return usable(key) ? KafkaHeadersGetter.INSTANCE.getAll(carrier, key) : Collections.emptyIterator();
    }

    private boolean usable(String key) {
        if (key == null) {
            return false;
        }
        return switch (key) {
            case TRACEPARENT -> traceparentUsable;
            case TRACESTATE -> tracestateUsable;
            case BAGGAGE -> baggageUsable;
            default -> true;
        };
    }

    /** Every baggage header UTF-8, and all of them together within the W3C limits (they combine). */
    private static boolean baggageWithinLimits(Headers headers) {
        StringBuilder combined = null;
        for (Header header : headers.headers(BAGGAGE)) {
            String value = strictUtf8(header);
            if (value == null) {
                return false;
            }
            combined = combined == null ? new StringBuilder(value) : combined.append(',').append(value);
        }
        return combined == null || W3cBaggageLimits.within(combined.toString());
    }

    private static int count(Headers headers, String key) {
        int count = 0;
        for (Header ignored : headers.headers(key)) {
            count++;
        }
        return count;
    }

    private static String strictUtf8(Header header) {
        return header == null ? null : StrictUtf8.decode(header.value());
    }
}
