package io.ctxprop.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.ctxprop.telemetry.propagation.HttpHeadersSetter;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.http.HttpHeaders;

/**
 * {@code TELEMETRY_ENABLED=false}: the project's own SDK records, exports and injects nothing, and its
 * spans carry on whatever context is current (the Java agent's, when it runs the services).
 */
class TelemetrySwitchTest {

    /** A context as an agent's server span would leave it current. */
    private static final SpanContext OUTER = SpanContext.create("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331",
            TraceFlags.getSampled(), TraceState.getDefault());

    private final InMemorySpanExporter exported = InMemorySpanExporter.create();
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TelemetryAutoConfiguration.class))
            .withPropertyValues("otel.traces.exporter=none", "otel.metrics.exporter=none", "otel.logs.exporter=none")
            .withBean(SpanProcessor.class, () -> SimpleSpanProcessor.create(exported));

    @Test
    void switchedOffItRecordsAndInjectsNothingAndKeepsTheCurrentTrace() {
        runner.withPropertyValues("telemetry.enabled=false").run(context -> {
            HttpHeaders headers = new HttpHeaders();
            Span span = spanInsideTheOuterOne(context.getBean(Tracer.class));
            boolean recording = span.isRecording();
            inject(context.getBean(OpenTelemetry.class), span, headers);

            assertThat(recording).isFalse();
            assertThat(span.getSpanContext().getTraceId()).isEqualTo(OUTER.getTraceId());
            assertThat(headers.isEmpty()).as("no trace header of ours").isTrue();
            assertThat(exported.getFinishedSpanItems()).isEmpty();
        });
    }

    @Test
    void onByDefaultTheSameSpanIsRecordedAndInjected() {
        runner.run(context -> {
            HttpHeaders headers = new HttpHeaders();
            Span span = spanInsideTheOuterOne(context.getBean(Tracer.class));
            boolean recording = span.isRecording();
            inject(context.getBean(OpenTelemetry.class), span, headers);

            assertThat(recording).isTrue();
            assertThat(headers.getFirst("traceparent")).contains(OUTER.getTraceId());
            assertThat(exported.getFinishedSpanItems()).singleElement().satisfies(data -> assertThat(data.getName()).isEqualTo("ours"));
        });
    }

    private static Span spanInsideTheOuterOne(Tracer tracer) {
        return tracer.spanBuilder("ours").setParent(Context.root().with(Span.wrap(OUTER))).startSpan();
    }

    /** Injects the span's context into the headers, then ends it. */
    private static void inject(OpenTelemetry openTelemetry, Span span, HttpHeaders headers) {
        openTelemetry.getPropagators().getTextMapPropagator().inject(Context.root().with(span), headers, HttpHeadersSetter.INSTANCE);
        span.end();
    }
}
