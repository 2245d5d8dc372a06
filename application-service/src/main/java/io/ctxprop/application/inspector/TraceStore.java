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
 * goes first) of at most {@code maxSpansPerTrace} spans each, and at most {@code maxBytes}
 * ({@code INSPECTOR_MAX_BYTES}) of spans in all, whatever mix of sizes arrives: a span that does not
 * fit evicts the oldest other traces until it does, and is dropped (counted) when its own trace
 * alone fills the bound. Spans are kept compact ({@link StoredSpan}) and decoded outside the lock,
 * only for the traces read.
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
    private final long maxBytes;
    private final LinkedHashMap<String, MutableTrace> traces = new LinkedHashMap<>();
    private long bytes;

    TraceStore(InspectorProperties properties) {
        this.maxTraces = properties.maxTraces();
        this.maxSpansPerTrace = properties.maxSpansPerTrace();
        this.maxBytes = properties.maxBytes();
    }

    public synchronized void add(Collection<? extends StoredSpan> spans) {
        for (StoredSpan span : spans) {
            MutableTrace trace = traces.computeIfAbsent(span.traceId(), id -> new MutableTrace(id, Instant.now()));
            long size = span.bytes();
            if (trace.spans.size() < maxSpansPerTrace && makeRoom(trace, size)) {
                trace.spans.add(span);
                trace.bytes += size;
                bytes += size;
            } else {
                trace.dropped++;
            }
        }
        while (traces.size() > maxTraces) {
            evict(traces.firstEntry().getValue());
        }
        notifyAll();
    }

    /** Evicts the oldest traces but {@code keep} until {@code size} more bytes fit; false if they cannot. */
    private boolean makeRoom(MutableTrace keep, long size) {
        var oldestFirst = traces.sequencedValues().iterator();
        while (bytes + size > maxBytes && oldestFirst.hasNext()) {
            MutableTrace oldest = oldestFirst.next();
            if (oldest != keep) {
                oldestFirst.remove();
                bytes -= oldest.bytes;
            }
        }
        return bytes + size <= maxBytes;
    }

    private void evict(MutableTrace trace) {
        traces.remove(trace.traceId);
        bytes -= trace.bytes;
    }

    /** The stored spans' size as {@link StoredSpan#bytes()} estimates it. */
    public synchronized long bytes() {
        return bytes;
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

    /**
     * Whether this service started the trace for the session: one of its own spans (made in-process,
     * never one received over OTLP) has no parent and carries the session id. A caller who joins
     * someone else's trace with a {@code traceparent} makes spans that have a parent: they do not count.
     */
    public boolean startedForSession(String traceId, String session) {
        return snapshot(traceId).stream().flatMap(trace -> trace.spans().stream())
                .anyMatch(span -> span instanceof LocalSpan local && local.startedForSession(session));
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
        private long bytes;

        MutableTrace(String traceId, Instant firstSeen) {
            this.traceId = traceId;
            this.firstSeen = firstSeen;
        }

        Snapshot snapshot() {
            return new Snapshot(traceId, firstSeen, List.copyOf(spans), dropped);
        }
    }
}
