package io.ctxprop.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ctxprop.telemetry.export.InProcessSpanExporter;
import io.ctxprop.telemetry.testing.OtlpHttpReceiver;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * A service that takes its own spans in-process gets them batched, off the thread that ended them,
 * and does not also post them to itself over OTLP; a collector elsewhere still gets them.
 */
@ExtendWith(OutputCaptureExtension.class)
class InProcessExportTest {

    /** Keeps what it is handed and the thread that handed it. */
    static final class Recording implements InProcessSpanExporter {
        final List<SpanData> spans = new CopyOnWriteArrayList<>();
        final List<Thread> threads = new CopyOnWriteArrayList<>();

        @Override
        public CompletableResultCode export(Collection<SpanData> batch) {
            spans.addAll(batch);
            threads.add(Thread.currentThread());
            return CompletableResultCode.ofSuccess();
        }
    }

    private static ApplicationContextRunner service(int ownPort, String otlpEndpoint) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(TelemetryAutoConfiguration.class))
                .withBean(Recording.class, Recording::new)
                .withPropertyValues("spring.application.name=in-process-test", "server.port=" + ownPort, "otel.traces.exporter=otlp",
                        "otel.exporter.otlp.endpoint=" + otlpEndpoint, "otel.exporter.otlp.protocol=http/protobuf",
                        "otel.bsp.schedule.delay=10ms", "otel.metrics.exporter=none", "otel.logs.exporter=none");
    }

    @Test
    void anEndpointOnTheServicesOwnPortGetsNothingAndTheSpansStayInProcess(CapturedOutput output) throws Exception {
        try (var self = new OtlpHttpReceiver()) {
            int ownPort = Integer.parseInt(self.baseUrl().substring(self.baseUrl().lastIndexOf(':') + 1));
            service(ownPort, "http://localhost:" + ownPort).run(context -> {
                context.getBean(Tracer.class).spanBuilder("own").startSpan().end();
                context.getBean(OpenTelemetrySdk.class).getSdkTracerProvider().forceFlush().join(10, TimeUnit.SECONDS);

                Recording recording = context.getBean(Recording.class);
                assertThat(recording.spans).extracting(SpanData::getName).containsExactly("own");
                assertThat(recording.threads).doesNotContain(Thread.currentThread());
            });
            assertThat(self.received()).isEmpty();
        }
        assertThat(output.getAll().lines().filter(line -> line.contains("is this service itself"))).singleElement().asString()
                .contains("INFO").contains("http://localhost:");
        assertThat(output.getAll()).doesNotContain("No trace exporter is configured");
    }

    @Test
    void aCollectorElsewhereStillGetsTheSpansOverOtlp() throws Exception {
        try (var collector = new OtlpHttpReceiver()) {
            service(5000, collector.baseUrl()).run(context -> {
                context.getBean(Tracer.class).spanBuilder("shared").startSpan().end();
                context.getBean(OpenTelemetrySdk.class).getSdkTracerProvider().forceFlush().join(10, TimeUnit.SECONDS);
                assertThat(context.getBean(Recording.class).spans).extracting(SpanData::getName).containsExactly("shared");
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> collector.spans().named("shared").isPresent());
        }
    }
}
