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
 * Spans are kept compact ({@link StoredSpan}) and decoded outside the lock, only for the traces read.
 */
@Component
public class TraceStore {

    /** A trace as received so far. */
    public record StoredTrace(String traceId, Instant firstSeen, List<SpanRecord> spans, int droppedSpans) {
    }

    /** A trace's spans as they stood, still compact. */
    private record Snapshot(String traceId, Instant firstSeen, List<StoredSpan> spans, int droppedSpans) {
        StoredTrace decoded() {
            return new StoredTrace(traceId, firstSeen, spans.stream().map(StoredSpan::record).toList(), droppedSpans);
        }
    }

    private final int maxTraces;
    private final int maxSpansPerTrace;
    private final LinkedHashMap<String, MutableTrace> traces = new LinkedHashMap<>();

    TraceStore(InspectorProperties properties) {
        this.maxTraces = properties.maxTraces();
        this.maxSpansPerTrace = properties.maxSpansPerTrace();
    }

    public synchronized void add(Collection<? extends StoredSpan> spans) {
        for (StoredSpan span : spans) {
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

    public Optional<StoredTrace> find(String traceId) {
        return snapshot(traceId).map(Snapshot::decoded);
    }

    /** Newest first. */
    public List<StoredTrace> recent(int limit) {
        List<Snapshot> newest;
        synchronized (this) {
            newest = traces.sequencedValues().reversed().stream().limit(limit).map(MutableTrace::snapshot).toList();
        }
        return newest.stream().map(Snapshot::decoded).toList();
    }

    /**
     * Traces other than {@code traceId} with a span of this name that matches, newest first. Only
     * spans of the name are decoded to test {@code match}.
     */
    public List<StoredTrace> othersWith(String traceId, String spanName, Predicate<SpanRecord> match) {
        List<Snapshot> others;
        synchronized (this) {
            others = traces.sequencedValues().reversed().stream()
                    .filter(trace -> !trace.traceId.equals(traceId))
                    .filter(trace -> trace.spans.stream().anyMatch(span -> span.name().equals(spanName)))
                    .map(MutableTrace::snapshot)
                    .toList();
        }
        return others.stream()
                .filter(trace -> trace.spans().stream().filter(span -> span.name().equals(spanName)).map(StoredSpan::record).anyMatch(match))
                .map(Snapshot::decoded)
                .toList();
    }

    public synchronized int traceCount() {
        return traces.size();
    }

    public synchronized int spanCount() {
        return traces.values().stream().mapToInt(trace -> trace.spans.size()).sum();
    }

    /** Waits until the trace holds {@code spans} spans, or the time is up; returns what there is. */
    public Optional<StoredTrace> await(String traceId, int spans, Duration atMost) throws InterruptedException {
        return awaitSnapshot(traceId, spans, atMost).map(Snapshot::decoded);
    }

    private synchronized Optional<Snapshot> snapshot(String traceId) {
        return Optional.ofNullable(traces.get(traceId)).map(MutableTrace::snapshot);
    }

    private synchronized Optional<Snapshot> awaitSnapshot(String traceId, int spans, Duration atMost) throws InterruptedException {
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
        private final List<StoredSpan> spans = new ArrayList<>();
        private int dropped;

        MutableTrace(String traceId, Instant firstSeen) {
            this.traceId = traceId;
            this.firstSeen = firstSeen;
        }

        Snapshot snapshot() {
            return new Snapshot(traceId, firstSeen, List.copyOf(spans), dropped);
        }
    }
}
