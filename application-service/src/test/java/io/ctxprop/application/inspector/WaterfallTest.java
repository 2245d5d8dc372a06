package io.ctxprop.application.inspector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.ctxprop.application.inspector.Waterfall.Marker;
import io.ctxprop.application.inspector.Waterfall.Row;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The first chunk of a streamed answer shows as a marker on the bar of every span that saw it, at its time. */
class WaterfallTest {

    static final String TRACE = "0af7651916cd43dd8448eb211c80319c";
    static final long MS = 1_000_000;

    @Test
    void aFirstChunkEventIsAMarkerAtItsTimeOnTheTracesAxis() {
        var root = span("a000000000000001", "", "application_process_request", 0, 100);
        var llm = span("a000000000000002", "a000000000000001", "chat offline-echo", 10, 60,
                new SpanEvent("first_chunk", 30 * MS, ""));

        var rows = Waterfall.of(TRACE, List.of(root, llm)).rows();

        assertThat(row(rows, "application_process_request").markers()).isEmpty();
        assertThat(row(rows, "chat offline-echo").markers()).singleElement().satisfies(marker -> {
            assertThat(marker.name()).isEqualTo("first_chunk");
            assertThat(marker.offsetPercent()).isEqualTo(30.0);
            assertThat(marker.title()).isEqualTo("first_chunk, 20.0 ms into the span");
        });
    }

    @Test
    void theRootOfBothTransportsHasOneMarkerPerTransport() {
        var root = span("a000000000000001", "", "application_process_request", 100, 300,
                new SpanEvent("first_chunk", 150 * MS, "transport=http"), new SpanEvent("first_chunk", 250 * MS, "transport=kafka"));

        assertThat(Waterfall.of(TRACE, List.of(root)).rows().getFirst().markers())
                .extracting(Marker::offsetPercent, Marker::title)
                .containsExactly(tuple(25.0, "first_chunk: transport=http, 50.0 ms into the span"),
                        tuple(75.0, "first_chunk: transport=kafka, 150.0 ms into the span"));
    }

    @Test
    void otherEventsAreNotMarked() {
        var failed = span("a000000000000001", "", "gateway_request", 0, 10,
                new SpanEvent("exception", 5 * MS, "boom"), new SpanEvent("retry", 6 * MS, ""));

        assertThat(Waterfall.of(TRACE, List.of(failed)).rows().getFirst().markers()).isEmpty();
    }

    @Test
    void anEventOutsideItsSpanIsDrawnAtTheBarsEdge() {
        var root = span("a000000000000001", "", "application_process_request", 0, 100);
        var late = span("a000000000000002", "a000000000000001", "process llm.replies", 40, 50,
                new SpanEvent("first_chunk", 90 * MS, ""));
        var early = span("a000000000000003", "a000000000000001", "gateway_request", 20, 30,
                new SpanEvent("first_chunk", 5 * MS, ""));

        var rows = Waterfall.of(TRACE, List.of(root, late, early)).rows();

        assertThat(row(rows, "process llm.replies").markers().getFirst().offsetPercent()).isEqualTo(50.0);
        assertThat(row(rows, "gateway_request").markers().getFirst().offsetPercent()).isEqualTo(20.0);
    }

    private static Row row(List<Row> rows, String name) {
        return rows.stream().filter(row -> row.span().name().equals(name)).findFirst().orElseThrow();
    }

    private static SpanRecord span(String id, String parent, String name, long startMillis, long endMillis, SpanEvent... events) {
        return new SpanRecord(TRACE, id, parent, false, name, "INTERNAL", "application-service", "", startMillis * MS, endMillis * MS,
                "UNSET", "", Map.of(), List.of(), List.of(events));
    }
}
