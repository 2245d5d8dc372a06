package io.ctxprop.bench.stack;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SpanDropsTest {

    private static final String SCRAPE = """
            # TYPE processedSpans_total counter
            processedSpans_total{dropped="false",otel_scope_name="io.opentelemetry.sdk.trace",processorType="BatchSpanProcessor"} 52000.0
            processedSpans_total{dropped="true",otel_scope_name="io.opentelemetry.sdk.trace",processorType="BatchSpanProcessor"} 7.0
            # TYPE ctxprop_export_spans_total counter
            ctxprop_export_spans_total{lane="otlp",otel_scope_name="io.ctxprop.telemetry",outcome="delivered"} 51990.0
            ctxprop_export_spans_total{lane="phoenix",otel_scope_name="io.ctxprop.telemetry",outcome="dropped"} 1024.0
            ctxprop_export_spans_total{lane="phoenix",otel_scope_name="io.ctxprop.telemetry",outcome="failed"} 3.0
            ctxprop_export_spans_total{lane="phoenix",otel_scope_name="io.ctxprop.telemetry",outcome="delivered"} 50966.0
            """;

    @Test
    void spansDroppedByAProcessorAndByALaneAreCountedFailedSendsAreNot() {
        assertThat(SpanDrops.dropped(SCRAPE)).isEqualTo(7 + 1024);
    }

    @Test
    void deliveredSpansAreNotDropped() {
        assertThat(SpanDrops.dropped("""
                processedSpans_total{dropped="false",processorType="BatchSpanProcessor"} 10.0
                ctxprop_export_spans_total{lane="otlp",outcome="delivered"} 10.0
                """)).isZero();
    }
}
