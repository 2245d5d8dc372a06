package io.ctxprop.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.net.ServerSocket;
import java.util.Collection;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Spans an exporter cannot keep up with are dropped by its batch processor, and the SDK counts them on
 * the service's own meter provider ({@code processedSpans} with {@code dropped=true}): for the standard
 * exporter (Phoenix riding on it, see SharedOtlpExport) and for Phoenix's own processor alike.
 */
class SpanDropMetricsTest {

    /** Far more than a queue of 2 takes while its worker wakes up. */
    private static final int SPANS = 1_000;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"otlp", "none"})
    void droppedSpansAreCounted(String standardExporter) throws Exception {
        int deadPort;
        try (var socket = new ServerSocket(0)) {
            deadPort = socket.getLocalPort();
        }
        var reader = InMemoryMetricReader.create();
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(TelemetryAutoConfiguration.class))
                .withBean(MetricReader.class, () -> reader)
                .withPropertyValues("otel.traces.exporter=" + standardExporter, "otel.exporter.otlp.protocol=http/protobuf",
                        "otel.exporter.otlp.endpoint=http://127.0.0.1:" + deadPort, "otel.metrics.exporter=none",
                        "otel.logs.exporter=none", "otel.bsp.max.queue.size=2", "otel.bsp.schedule.delay=60s",
                        "otel.bsp.export.timeout=500ms", "otel.exporter.otlp.timeout=500",
                        "phoenix.collector-endpoint=http://127.0.0.1:" + deadPort)
                .run(context -> {
                    Tracer tracer = context.getBean(Tracer.class);
                    for (int i = 0; i < SPANS; i++) {
                        tracer.spanBuilder("span " + i).startSpan().end();
                    }
                    Collection<MetricData> metrics = reader.collectAllMetrics();
                    MetricData processed = metrics.stream().filter(metric -> metric.getName().equals("processedSpans")).findFirst().orElseThrow();
                    long dropped = processed.getLongSumData().getPoints().stream()
                            .filter(point -> Boolean.TRUE.equals(point.getAttributes().asMap().entrySet().stream()
                                    .filter(entry -> entry.getKey().getKey().equals("dropped")).map(java.util.Map.Entry::getValue).findFirst().orElse(null)))
                            .mapToLong(LongPointData::getValue).sum();
                    // one processor, a queue of 2: most are dropped, how many depends on its worker thread
                    assertThat(dropped).isBetween(1L, (long) SPANS);
                });
    }
}
