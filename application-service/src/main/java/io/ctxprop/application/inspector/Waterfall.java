package io.ctxprop.application.inspector;

import io.ctxprop.telemetry.streaming.StreamingAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A trace laid out for reading: one row per span, depth-first from the roots (orphans as roots),
 * with its bar placed on the trace's shared time axis, in percent, and its marked events on the bar.
 * Each span is drawn once whatever a sender claims: spans in a parent cycle (or sharing an id with
 * their parent) are drawn as roots, and deep chains are walked without recursion.
 */
public record Waterfall(String traceId, long durationMicros, List<Row> rows, List<String> services) {

    /** The events drawn on a span's bar; the rest are listed in its table only. */
    static final Set<String> MARKED_EVENTS = Set.of(StreamingAttributes.FIRST_CHUNK_EVENT);

    public record Row(SpanRecord span, int depth, double offsetPercent, double widthPercent, long durationMicros, int serviceIndex,
            List<Marker> markers) {
    }

    /** An event on a bar: where on the trace's time axis (percent, as the bar's offset) and its tooltip. */
    public record Marker(String name, double offsetPercent, String title) {
    }

    static Waterfall of(String traceId, List<SpanRecord> spans) {
        Set<String> ids = spans.stream().map(SpanRecord::spanId).collect(Collectors.toSet());
        Map<String, List<SpanRecord>> children = spans.stream()
                .filter(span -> ids.contains(span.parentSpanId()))
                .collect(Collectors.groupingBy(SpanRecord::parentSpanId));
        long start = spans.stream().mapToLong(SpanRecord::startNanos).min().orElse(0);
        long end = spans.stream().mapToLong(SpanRecord::endNanos).max().orElse(start);
        double total = Math.max(1, end - start);
        List<String> services = spans.stream().map(SpanRecord::service).distinct().sorted().toList();

        List<Row> rows = new ArrayList<>(spans.size());
        Set<SpanRecord> drawn = Collections.newSetFromMap(new IdentityHashMap<>());
        List<SpanRecord> tops = spans.stream().filter(span -> !ids.contains(span.parentSpanId()))
                .sorted(Comparator.comparingLong(SpanRecord::startNanos)).toList();
        for (SpanRecord top : tops) {
            addDepthFirst(top, children, rows, drawn, start, total, services);
        }
        // what no root leads to: spans whose parents form a cycle
        spans.stream().sorted(Comparator.comparingLong(SpanRecord::startNanos)).filter(span -> !drawn.contains(span))
                .forEach(span -> addDepthFirst(span, children, rows, drawn, start, total, services));
        return new Waterfall(traceId, (end - start) / 1000, rows, services);
    }

    private static void addDepthFirst(SpanRecord top, Map<String, List<SpanRecord>> children, List<Row> rows, Set<SpanRecord> drawn,
            long start, double total, List<String> services) {
        record Pending(SpanRecord span, int depth) {
        }
        Deque<Pending> pending = new ArrayDeque<>();
        pending.push(new Pending(top, 0));
        while (!pending.isEmpty()) {
            Pending next = pending.pop();
            SpanRecord span = next.span();
            if (!drawn.add(span)) {
                continue;
            }
            double offset = 100.0 * (span.startNanos() - start) / total;
            double width = Math.max(0.4, 100.0 * span.durationNanos() / total);
            rows.add(new Row(span, next.depth(), offset, Math.min(width, 100.0 - offset), span.durationNanos() / 1000,
                    services.indexOf(span.service()), markers(span, start, total)));
            // pushed latest first, so the earliest child is drawn next
            children.getOrDefault(span.spanId(), List.of()).stream()
                    .sorted(Comparator.comparingLong(SpanRecord::startNanos)).toList().reversed()
                    .forEach(child -> pending.push(new Pending(child, next.depth() + 1)));
        }
    }

    private static List<Marker> markers(SpanRecord span, long start, double total) {
        return span.events().stream().filter(event -> MARKED_EVENTS.contains(event.name())).map(event -> {
            // on the bar even if the event's clock says otherwise
            long at = Math.clamp(event.epochNanos(), span.startNanos(), Math.max(span.startNanos(), span.endNanos()));
            String title = String.format(Locale.ROOT, "%s, %.1f ms into the span", event.text(), (at - span.startNanos()) / 1e6);
            return new Marker(event.name(), 100.0 * (at - start) / total, title);
        }).toList();
    }
}
