package io.ctxprop.application.inspector;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.springframework.stereotype.Component;

/**
 * The recent traces, in memory and bounded: at most {@code maxTraces} traces (the oldest first seen
 * goes first) of at most {@code maxSpansPerTrace} spans each, so memory stays flat under any load.
 */
@Component
public class TraceStore {

    /** A trace as received so far. */
    public record StoredTrace(String traceId, Instant firstSeen, List<SpanRecord> spans, int droppedSpans) {
    }

    private final int maxTraces;
    private final int maxSpansPerTrace;
    private final LinkedHashMap<String, MutableTrace> traces = new LinkedHashMap<>();

    TraceStore(InspectorProperties properties) {
        this.maxTraces = properties.maxTraces();
        this.maxSpansPerTrace = properties.maxSpansPerTrace();
    }

    public synchronized void add(Collection<SpanRecord> spans) {
        for (SpanRecord span : spans) {
            MutableTrace trace = traces.computeIfAbsent(span.traceId(), id -> new MutableTrace(id, Instant.now()));
            if (trace.spans.size() < maxSpansPerTrace) {
                trace.spans.add(span);
            } else {
                trace.dropped++;
            }
        }
        while (traces.size() > maxTraces) {
            traces.remove(traces.keySet().iterator().next());
        }
        notifyAll();
    }

    public synchronized Optional<StoredTrace> find(String traceId) {
        return Optional.ofNullable(traces.get(traceId)).map(MutableTrace::snapshot);
    }

    /** Newest first. */
    public synchronized List<StoredTrace> recent(int limit) {
        List<StoredTrace> all = new ArrayList<>(traces.size());
        traces.values().forEach(trace -> all.add(trace.snapshot()));
        return all.reversed().stream().limit(limit).toList();
    }

    /** Traces other than {@code traceId} with a span that matches, newest first. */
    public synchronized List<StoredTrace> othersWith(String traceId, Predicate<SpanRecord> match) {
        return traces.sequencedValues().reversed().stream()
                .filter(trace -> !trace.traceId.equals(traceId))
                .filter(trace -> trace.spans.stream().anyMatch(match))
                .map(MutableTrace::snapshot)
                .toList();
    }

    public synchronized int traceCount() {
        return traces.size();
    }

    public synchronized int spanCount() {
        return traces.values().stream().mapToInt(trace -> trace.spans.size()).sum();
    }

    /** Waits until the trace holds {@code spans} spans, or the time is up; returns what there is. */
    public synchronized Optional<StoredTrace> await(String traceId, int spans, Duration atMost) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (true) {
            MutableTrace trace = traces.get(traceId);
            long left = deadline - System.nanoTime();
            if ((trace != null && trace.spans.size() >= spans) || left <= 0) {
                return Optional.ofNullable(trace).map(MutableTrace::snapshot);
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    private static final class MutableTrace {
        private final String traceId;
        private final Instant firstSeen;
        private final List<SpanRecord> spans = new ArrayList<>();
        private int dropped;

        MutableTrace(String traceId, Instant firstSeen) {
            this.traceId = traceId;
            this.firstSeen = firstSeen;
        }

        StoredTrace snapshot() {
            return new StoredTrace(traceId, firstSeen, List.copyOf(spans), dropped);
        }
    }
}
