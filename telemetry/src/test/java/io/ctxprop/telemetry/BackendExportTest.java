package io.ctxprop.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ctxprop.telemetry.testing.OtlpGrpcReceiver;
import io.ctxprop.telemetry.testing.OtlpHttpReceiver;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.OpenTelemetrySdk;
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
}
