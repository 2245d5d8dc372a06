package io.ctxprop.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ctxprop.telemetry.testing.OtlpHttpReceiver;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * The specification's convention for the trace exporter: an OTLP endpoint, and nothing else, is
 * enough to export over OTLP; with nothing set, the service starts without an exporter and says so in
 * one line. (Here the endpoint is a Spring property, as in application.yml; the system tests start
 * every service with {@code OTEL_EXPORTER_OTLP_ENDPOINT} alone, as users do.)
 */
@ExtendWith(OutputCaptureExtension.class)
class ExporterDefaultTest {

    private static ApplicationContextRunner withVariables(Map<String, Object> variables) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(TelemetryAutoConfiguration.class))
                .withPropertyValues("spring.application.name=exporter-default-test", "otel.metrics.exporter=none", "otel.logs.exporter=none")
                .withInitializer(context -> context.getEnvironment().getPropertySources().replace(
                        StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables)));
    }

    private static void oneSpan(org.springframework.context.ApplicationContext context, String name) {
        context.getBean(Tracer.class).spanBuilder(name).startSpan().end();
        context.getBean(OpenTelemetrySdk.class).getSdkTracerProvider().forceFlush().join(10, TimeUnit.SECONDS);
    }

    @Test
    void theGeneralOtlpEndpointAloneExportsOverOtlp() throws Exception {
        try (var collector = new OtlpHttpReceiver()) {
            withVariables(Map.of())
                    .withPropertyValues("otel.exporter.otlp.endpoint=" + collector.baseUrl(), "otel.exporter.otlp.protocol=http/protobuf")
                    .run(context -> oneSpan(context, "endpoint-alone"));
            await().atMost(Duration.ofSeconds(10)).until(() -> collector.spans().named("endpoint-alone").isPresent());
        }
    }

    @Test
    void theTracesEndpointAloneExportsOverOtlp() throws Exception {
        try (var collector = new OtlpHttpReceiver()) {
            withVariables(Map.of())
                    .withPropertyValues("otel.exporter.otlp.traces.endpoint=" + collector.tracesUrl(), "otel.exporter.otlp.protocol=http/protobuf")
                    .run(context -> oneSpan(context, "traces-endpoint-alone"));
            await().atMost(Duration.ofSeconds(10)).until(() -> collector.spans().named("traces-endpoint-alone").isPresent());
        }
    }

    @Test
    void anExplicitNoneWinsOverAnEndpoint() throws Exception {
        try (var collector = new OtlpHttpReceiver()) {
            withVariables(Map.of())
                    .withPropertyValues("otel.exporter.otlp.endpoint=" + collector.baseUrl(), "otel.traces.exporter=none")
                    .run(context -> oneSpan(context, "not-exported"));
            assertThat(collector.received()).isEmpty();
        }
    }

    @Test
    void nothingSetStartsWithoutAnExporterAndSaysHowToGetSpansOutOnce(CapturedOutput output) {
        withVariables(Map.of()).run(context -> oneSpan(context, "kept-local"));

        assertThat(output.getAll().lines().filter(line -> line.contains("No trace exporter is configured")))
                .singleElement().asString().contains("OTEL_EXPORTER_OTLP_ENDPOINT");
        assertThat(output.getAll()).doesNotContain("Failed to export spans");
    }
}
