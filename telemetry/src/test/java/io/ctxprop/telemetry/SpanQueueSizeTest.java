package io.ctxprop.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * The batch span processors' queue is sized for the load the services carry ({@link OtelPropertyDefaults#SPAN_QUEUE}):
 * a burst of spans while an export hangs is held, where the SDK's default queue (2,048) drops the most of
 * it; and {@code OTEL_BSP_MAX_QUEUE_SIZE} still sets it. The exporter here sends to a port that accepts
 * connections and never answers, so the processor's one export in flight hangs while the spans arrive;
 * the SDK's own counter ({@code processedSpans}, {@code dropped=true}) says what was dropped.
 */
class SpanQueueSizeTest {

    /** More than the SDK's default queue and one batch in flight can hold, less than ours. */
    private static final int BURST = 6_000;

    private static ServerSocket silent;

    @BeforeAll
    static void silentCollector() throws Exception {
        // the kernel completes the connections (backlog); nobody reads the requests or answers them
        silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    @AfterAll
    static void close() throws Exception {
        silent.close();
    }

    private static long droppedAfterABurst(Map<String, Object> variables, String... properties) {
        var reader = InMemoryMetricReader.create();
        long[] dropped = new long[1];
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(TelemetryAutoConfiguration.class))
                .withBean(MetricReader.class, () -> reader)
                .withInitializer(context -> context.getEnvironment().getPropertySources().replace(
                        StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables)))
                .withPropertyValues("otel.traces.exporter=otlp", "otel.exporter.otlp.protocol=http/protobuf",
                        "otel.exporter.otlp.endpoint=http://127.0.0.1:" + silent.getLocalPort(), "otel.metrics.exporter=none",
                        "otel.logs.exporter=none", "otel.bsp.schedule.delay=60s", "otel.exporter.otlp.timeout=1000",
                        "otel.bsp.export.timeout=1s")
                .withPropertyValues(properties)
                .run(context -> {
                    Tracer tracer = context.getBean(Tracer.class);
                    for (int i = 0; i < BURST; i++) {
                        tracer.spanBuilder("span " + i).startSpan().end();
                    }
                    dropped[0] = reader.collectAllMetrics().stream().filter(metric -> metric.getName().equals("processedSpans"))
                            .flatMap(metric -> metric.getLongSumData().getPoints().stream())
                            .filter(point -> Boolean.TRUE.equals(point.getAttributes().asMap().entrySet().stream()
                                    .filter(entry -> entry.getKey().getKey().equals("dropped")).map(Map.Entry::getValue)
                                    .findFirst().orElse(null)))
                            .mapToLong(LongPointData::getValue).sum();
                });
        return dropped[0];
    }

    @Test
    void theProjectsQueueHoldsABurstWhileAnExportHangs() {
        assertThat(droppedAfterABurst(Map.of())).isZero();
    }

    @Test
    void theSdksDefaultQueueWouldHaveDroppedIt() {
        // the same burst with the SDK's own default set back: what the services did before
        assertThat(droppedAfterABurst(Map.of(), "otel.bsp.max.queue.size=2048")).isGreaterThan(1_000);
    }

    @Test
    void theStandardSettingStillSetsTheQueue() {
        // OTEL_BSP_MAX_QUEUE_SIZE and -Dotel.bsp.max.queue.size are one layer of the SDK's autoconfigure, above
        // the project's defaults; a test can set only the second
        String before = System.setProperty("otel.bsp.max.queue.size", "2048");
        try {
            assertThat(droppedAfterABurst(Map.of())).isGreaterThan(1_000);
        } finally {
            if (before == null) {
                System.clearProperty("otel.bsp.max.queue.size");
            } else {
                System.setProperty("otel.bsp.max.queue.size", before);
            }
        }
    }

    @Test
    void theDefaultGivesWayToAnyConfiguredValue() {
        assertThat(OtelPropertyDefaults.from(new StandardEnvironment()))
                .containsEntry("otel.bsp.max.queue.size", Integer.toString(OtelPropertyDefaults.SPAN_QUEUE))
                .containsEntry("otel.bsp.max.export.batch.size", Integer.toString(OtelPropertyDefaults.SPAN_BATCH));
        var variables = new StandardEnvironment();
        variables.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        Map.of("OTEL_BSP_MAX_QUEUE_SIZE", "100")));
        assertThat(OtelPropertyDefaults.from(variables)).doesNotContainKey("otel.bsp.max.queue.size");
    }
}
