package io.ctxprop.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ctxprop.telemetry.testing.InMemoryMetrics;
import io.ctxprop.telemetry.testing.OtlpGrpcReceiver;
import io.ctxprop.telemetry.testing.OtlpHttpReceiver;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * One span, configured through the same environment variables a user sets, reaches Phoenix
 * (OTLP/HTTP protobuf) and Arize (OTLP/gRPC) with each backend's headers and project resource.
 */
@ExtendWith(OutputCaptureExtension.class)
class BackendExportTest {

    private static final String PHOENIX_KEY = "phx-sentinel-7f3a9c";
    private static final String ARIZE_KEY = "arize-sentinel-51be02";
    private static final String COLLECTOR_KEY = "collector-sentinel-c04d11";

    private final OtlpHttpReceiver phoenix = new OtlpHttpReceiver();
    private final OtlpGrpcReceiver arize = new OtlpGrpcReceiver();

    BackendExportTest() throws Exception {
    }

    @AfterEach
    void stopReceivers() {
        phoenix.close();
        arize.close();
    }

    private ApplicationContextRunner runnerWithEnvironment(Map<String, Object> variables) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(TelemetryAutoConfiguration.class))
                .withPropertyValues("spring.application.name=export-test", "otel.traces.exporter=none",
                        "otel.metrics.exporter=none", "otel.logs.exporter=none", "otel.bsp.schedule.delay=20ms")
                .withInitializer(context -> context.getEnvironment().getPropertySources().replace(
                        StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables)));
    }

    @Test
    void oneSpanReachesPhoenixAndArizeWithTheirHeadersAndProjects(CapturedOutput output) {
        runnerWithEnvironment(Map.of(
                "PHOENIX_COLLECTOR_ENDPOINT", phoenix.baseUrl(),
                "PHOENIX_PROJECT_NAME", "phoenix-project",
                "PHOENIX_API_KEY", PHOENIX_KEY,
                "ARIZE_SPACE_ID", "space-123",
                "ARIZE_API_KEY", ARIZE_KEY,
                "ARIZE_PROJECT_NAME", "arize-project",
                "ARIZE_MODEL_ID", "arize-model",
                "ARIZE_COLLECTOR_ENDPOINT", arize.endpoint()))
                .run(context -> {
                    context.getBean(Tracer.class).spanBuilder("exported").startSpan().end();
                    context.getBean(OpenTelemetrySdk.class).getSdkTracerProvider().forceFlush().join(10, java.util.concurrent.TimeUnit.SECONDS);
                });

        await().atMost(Duration.ofSeconds(10)).until(() -> !phoenix.received().isEmpty() && !arize.received().isEmpty());

        var toPhoenix = phoenix.received().getFirst();
        assertThat(toPhoenix.path()).isEqualTo("/v1/traces");
        assertThat(toPhoenix.contentType()).isEqualTo("application/x-protobuf");
        assertThat(toPhoenix.authorization()).isEqualTo("Bearer " + PHOENIX_KEY);
        var phoenixSpan = phoenix.spans().named("exported").orElseThrow();
        assertThat(phoenixSpan.resourceAttribute("openinference.project.name")).contains("phoenix-project");
        assertThat(phoenixSpan.resourceAttribute("service.name")).contains("export-test");

        var toArize = arize.received().getFirst();
        assertThat(toArize.headers()).containsEntry("space_id", "space-123")
                .containsEntry("arize-space-id", "space-123")
                .containsEntry("api_key", ARIZE_KEY)
                .containsEntry("authorization", ARIZE_KEY)
                .containsEntry("arize-interface", "otel");
        var arizeSpan = arize.spans().named("exported").orElseThrow();
        assertThat(arizeSpan.resourceAttribute("openinference.project.name")).contains("arize-project");
        assertThat(arizeSpan.resourceAttribute("model_id")).contains("arize-model");
        assertThat(arizeSpan.traceId()).isEqualTo(phoenixSpan.traceId());

        assertThat(output.getAll()).doesNotContain(PHOENIX_KEY).doesNotContain(ARIZE_KEY);
    }

    @Test
    void noBackendConfiguredMeansNoExport() {
        runnerWithEnvironment(Map.of()).run(context -> {
            context.getBean(Tracer.class).spanBuilder("kept-local").startSpan().end();
            context.getBean(OpenTelemetrySdk.class).getSdkTracerProvider().forceFlush().join(5, java.util.concurrent.TimeUnit.SECONDS);
        });
        assertThat(phoenix.received()).isEmpty();
        assertThat(arize.received()).isEmpty();
    }

    @Test
    void standardOtlpExporterAddsUpWithPhoenix() throws Exception {
        try (var collector = new OtlpHttpReceiver()) {
            runnerWithEnvironment(Map.of("PHOENIX_COLLECTOR_ENDPOINT", phoenix.tracesUrl()))
                    .withPropertyValues("otel.traces.exporter=otlp", "otel.exporter.otlp.protocol=http/protobuf",
                            "otel.exporter.otlp.endpoint=" + collector.baseUrl())
                    .run(context -> {
                        context.getBean(Tracer.class).spanBuilder("everywhere").startSpan().end();
                        context.getBean(OpenTelemetrySdk.class).getSdkTracerProvider().forceFlush().join(10, java.util.concurrent.TimeUnit.SECONDS);
                    });
            await().atMost(Duration.ofSeconds(10)).until(() -> collector.spans().named("everywhere").isPresent()
                    && phoenix.spans().named("everywhere").isPresent());
            assertThat(phoenix.received().getFirst().authorization()).isNull();
        }
    }

    @Test
    void theOtlpEndpointAndPhoenixGetTheSameBodyEachWithOnlyItsOwnKey(CapturedOutput output) throws Exception {
        try (var collector = new OtlpHttpReceiver()) {
            var reader = InMemoryMetricReader.create();
            runnerWithEnvironment(Map.of("PHOENIX_COLLECTOR_ENDPOINT", phoenix.baseUrl(), "PHOENIX_PROJECT_NAME", "phoenix-project",
                    "PHOENIX_API_KEY", PHOENIX_KEY))
                    .withBean(MetricReader.class, () -> reader)
                    .withPropertyValues("otel.traces.exporter=otlp", "otel.exporter.otlp.protocol=http/protobuf",
                            "otel.exporter.otlp.endpoint=" + collector.baseUrl(),
                            "otel.exporter.otlp.headers=Authorization=Bearer " + COLLECTOR_KEY)
                    .run(context -> {
                        Tracer tracer = context.getBean(Tracer.class);
                        for (int i = 0; i < 3; i++) {
                            tracer.spanBuilder("shared " + i).startSpan().end();
                        }
                        context.getBean(OpenTelemetrySdk.class).getSdkTracerProvider().forceFlush().join(10, java.util.concurrent.TimeUnit.SECONDS);
                        // one batch processor took the spans for both backends (two would have counted each span twice)
                        assertThat(InMemoryMetrics.counter(reader.collectAllMetrics(), "processedSpans", Map.of("dropped", "false"))).isEqualTo(3);
                    });
            await().atMost(Duration.ofSeconds(10)).until(() -> collector.spans().all().size() == 3 && phoenix.spans().all().size() == 3);

            assertThat(phoenix.received()).extracting(OtlpHttpReceiver.Received::request).as("the same batches")
                    .containsExactlyInAnyOrderElementsOf(collector.received().stream().map(OtlpHttpReceiver.Received::request).toList());
            assertThat(phoenix.received()).allSatisfy(request -> assertThat(request.authorization()).isEqualTo("Bearer " + PHOENIX_KEY));
            assertThat(collector.received()).allSatisfy(request -> assertThat(request.authorization()).isEqualTo("Bearer " + COLLECTOR_KEY));
            assertThat(collector.spans().named("shared 0").orElseThrow().resourceAttribute("openinference.project.name")).contains("phoenix-project");
            assertThat(output.getAll()).contains("marshaled once and sent to both").doesNotContain(PHOENIX_KEY).doesNotContain(COLLECTOR_KEY);
        }
    }

    @Test
    void aPhoenixThatNeverAnswersCostsTheOtlpEndpointNoSpan(CapturedOutput output) throws Exception {
        try (var collector = new OtlpHttpReceiver(); var silentPhoenix = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            var reader = InMemoryMetricReader.create();
            runnerWithEnvironment(Map.of("PHOENIX_COLLECTOR_ENDPOINT", "http://127.0.0.1:" + silentPhoenix.getLocalPort()))
                    .withBean(MetricReader.class, () -> reader)
                    // a queue of 100 spans: each lane may hold 100 KB in flight, two bodies of 20 spans of 2 KB
                    .withPropertyValues("otel.traces.exporter=otlp", "otel.exporter.otlp.protocol=http/protobuf",
                            "otel.exporter.otlp.endpoint=" + collector.baseUrl(), "otel.exporter.otlp.timeout=6000",
                            "otel.bsp.max.queue.size=100", "otel.bsp.max.export.batch.size=20",
                            // no timed export between the spans of a batch: each flush is one body of 20 spans
                            "otel.bsp.schedule.delay=60s")
                    .run(context -> {
                        Tracer tracer = context.getBean(Tracer.class);
                        // batch after batch, each flushed while Phoenix still holds the first: waiting for it would take 6 s
                        for (int batch = 0; batch < 5; batch++) {
                            for (int i = 0; i < 20; i++) {
                                tracer.spanBuilder("batch " + batch + " span " + i).setAttribute("filler", "x".repeat(2_000)).startSpan().end();
                            }
                            assertThat(context.getBean(OpenTelemetrySdk.class).getSdkTracerProvider().forceFlush()
                                    .join(3, java.util.concurrent.TimeUnit.SECONDS).isSuccess()).as("flush %d", batch).isTrue();
                            int received = 20 * (batch + 1);
                            await().atMost(Duration.ofSeconds(5)).until(() -> collector.spans().all().size() == received);
                        }
                        var metrics = reader.collectAllMetrics();
                        assertThat(InMemoryMetrics.counter(metrics, "ctxprop.export.spans", Map.of("lane", "otlp", "outcome", "delivered"))).isEqualTo(100);
                        assertThat(InMemoryMetrics.counter(metrics, "ctxprop.export.spans", Map.of("lane", "phoenix", "outcome", "dropped")))
                                .as("Phoenix's lane full with its first two bodies, the later ones dropped").isEqualTo(60);
                        await().atMost(Duration.ofSeconds(15)).until(() -> InMemoryMetrics.counter(reader.collectAllMetrics(),
                                "ctxprop.export.spans", Map.of("lane", "phoenix", "outcome", "failed")) == 40);
                    });
            assertThat(output.getAll()).containsOnlyOnce("are being dropped").containsOnlyOnce("are failing");
        }
    }

    @Test
    void overGrpcPhoenixKeepsAProcessorOfItsOwn(CapturedOutput output) throws Exception {
        try (var collector = new OtlpGrpcReceiver()) {
            runnerWithEnvironment(Map.of("PHOENIX_COLLECTOR_ENDPOINT", phoenix.baseUrl(), "PHOENIX_PROJECT_NAME", "phoenix-project"))
                    .withPropertyValues("otel.traces.exporter=otlp", "otel.exporter.otlp.protocol=grpc",
                            "otel.exporter.otlp.endpoint=" + collector.endpoint())
                    .run(context -> {
                        context.getBean(Tracer.class).spanBuilder("both ways").startSpan().end();
                        context.getBean(OpenTelemetrySdk.class).getSdkTracerProvider().forceFlush().join(10, java.util.concurrent.TimeUnit.SECONDS);
                    });
            await().atMost(Duration.ofSeconds(10)).until(() -> collector.spans().named("both ways").isPresent()
                    && phoenix.spans().named("both ways").isPresent());
            assertThat(phoenix.spans().named("both ways").orElseThrow().resourceAttribute("openinference.project.name")).contains("phoenix-project");
            assertThat(collector.spans().named("both ways").orElseThrow().resourceAttribute("openinference.project.name"))
                    .as("Phoenix's project stays Phoenix's where the bodies are not shared").isEmpty();
            assertThat(output.getAll()).doesNotContain("marshaled once");
        }
    }
}
