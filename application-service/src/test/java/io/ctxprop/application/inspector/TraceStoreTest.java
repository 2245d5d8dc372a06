package io.ctxprop.application.inspector;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The store stays under its caps whatever arrives, and the oldest traces go first. */
class TraceStoreTest {

    private final TraceStore store = new TraceStore(new InspectorProperties(100, 20, 1024, Duration.ofMillis(10), ""));

    @Test
    void manyThousandsOfTracesLeaveTheNewestHundred() {
        for (int trace = 0; trace < 20_000; trace++) {
            store.add(List.of(span(trace, 1), span(trace, 2)));
        }

        assertThat(store.traceCount()).isEqualTo(100);
        assertThat(store.spanCount()).isEqualTo(200);
        assertThat(store.find(traceId(19_999))).isPresent();
        assertThat(store.find(traceId(19_900))).isPresent();
        assertThat(store.find(traceId(19_899))).isEmpty();
        assertThat(store.recent(1).getFirst().traceId()).isEqualTo(traceId(19_999));
    }

    @Test
    void aTraceKeepsItsFirstSpansAndCountsTheRest() {
        List<SpanRecord> spans = new ArrayList<>();
        for (int span = 0; span < 50; span++) {
            spans.add(span(7, span));
        }
        store.add(spans);

        var trace = store.find(traceId(7)).orElseThrow();
        assertThat(trace.spans()).hasSize(20);
        assertThat(trace.droppedSpans()).isEqualTo(30);
    }

    @Test
    void awaitReturnsWhatThereIsWhenTheTimeIsUp() throws InterruptedException {
        store.add(List.of(span(3, 1)));

        assertThat(store.await(traceId(3), 5, Duration.ofMillis(20))).hasValueSatisfying(trace -> assertThat(trace.spans()).hasSize(1));
        assertThat(store.await(traceId(4), 1, Duration.ofMillis(20))).isEmpty();
    }

    private static SpanRecord span(int trace, int span) {
        return new SpanRecord(traceId(trace), "%016x".formatted(span + 1), "", "span " + span, "INTERNAL", "svc", "", 0, 1,
                "UNSET", "", Map.of(), List.of(), List.of());
    }

    private static String traceId(int trace) {
        return "%032x".formatted(trace + 1);
    }
}
