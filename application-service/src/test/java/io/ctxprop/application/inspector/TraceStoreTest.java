package io.ctxprop.application.inspector;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The store stays under its caps whatever arrives, and the oldest traces go first. */
class TraceStoreTest {

    private final TraceStore store = new TraceStore(new InspectorProperties(100, 20, 1024, Duration.ofMillis(10), "", 64L << 20, 1024, 65536, ""));

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
        List<StoredSpan> spans = new ArrayList<>();
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

    @Test
    void othersWithFindsOtherTracesBySpanNameAndAttribute() {
        store.add(List.of(span(1, 1, "llm_gateway_process", "req-1"), span(2, 1, "llm_gateway_process", "req-2"),
                span(3, 1, "other", "req-1"), span(4, 1, "llm_gateway_process", "req-1")));

        var found = store.othersWith(traceId(4), "llm_gateway_process", span -> span.attribute("x-request-id").equals("req-1"));

        assertThat(found).extracting(TraceStore.StoredTrace::traceId).containsExactly(traceId(1));
        assertThat(found.getFirst().spans()).singleElement().satisfies(span -> assertThat(span.attribute("x-request-id")).isEqualTo("req-1"));
    }

    private static StoredSpan span(int trace, int span) {
        return span(trace, span, "span " + span, "");
    }

    private static StoredSpan span(int trace, int span, String name, String requestId) {
        return new LocalSpan(traceId(trace), "%016x".formatted(span + 1), "", name, "INTERNAL", "svc", "", 0, 1, "UNSET", "",
                Attributes.of(AttributeKey.stringKey("x-request-id"), requestId), List.of(), List.of());
    }

    private static String traceId(int trace) {
        return "%032x".formatted(trace + 1);
    }
}
