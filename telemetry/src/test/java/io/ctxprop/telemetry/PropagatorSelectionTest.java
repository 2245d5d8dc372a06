package io.ctxprop.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.ctxprop.telemetry.propagation.HttpHeadersSetter;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.http.HttpHeaders;

/** W3C tracecontext + baggage by default; B3 when OTEL_PROPAGATORS asks for it. */
class PropagatorSelectionTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TelemetryAutoConfiguration.class))
            .withPropertyValues("otel.traces.exporter=none", "otel.metrics.exporter=none", "otel.logs.exporter=none")
            // SDK 1.68 hands out non-recording spans while no processor is registered.
            .withBean(SpanProcessor.class, () -> SimpleSpanProcessor.create(InMemorySpanExporter.create()));

    @Test
    void injectsW3cTraceparentAndBaggageByDefault() {
        runner.run(context -> {
            HttpHeaders headers = injectInsideSpan(context.getBean(OpenTelemetry.class), context.getBean(Tracer.class));
            assertThat(headers.get("traceparent")).singleElement().asString().matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[0-3]");
            assertThat(headers.getFirst("baggage")).isEqualTo("session.id=s-1");
            assertThat(headers.containsHeader("X-B3-TraceId")).isFalse();
        });
    }

    @Test
    void injectsB3WhenSelected() {
        runner.withPropertyValues("otel.propagators=b3multi").run(context -> {
            HttpHeaders headers = injectInsideSpan(context.getBean(OpenTelemetry.class), context.getBean(Tracer.class));
            assertThat(headers.getFirst("X-B3-TraceId")).hasSize(32);
            assertThat(headers.containsHeader("traceparent")).isFalse();
        });
    }

    @Test
    void setterReplacesAnEarlierValueSoARequestCarriesOneTraceparent() {
        runner.run(context -> {
            HttpHeaders headers = new HttpHeaders();
            headers.add("traceparent", "00-11111111111111111111111111111111-2222222222222222-01");
            Tracer tracer = context.getBean(Tracer.class);
            var span = tracer.spanBuilder("outer").startSpan();
            context.getBean(OpenTelemetry.class).getPropagators().getTextMapPropagator()
                    .inject(Context.root().with(span), headers, HttpHeadersSetter.INSTANCE);
            span.end();
            assertThat(headers.get("traceparent")).singleElement().asString().contains(span.getSpanContext().getTraceId());
        });
    }

    private static HttpHeaders injectInsideSpan(OpenTelemetry openTelemetry, Tracer tracer) {
        HttpHeaders headers = new HttpHeaders();
        var span = tracer.spanBuilder("outer").startSpan();
        Context context = Context.root().with(span).with(Baggage.builder().put("session.id", "s-1").build());
        openTelemetry.getPropagators().getTextMapPropagator().inject(context, headers, HttpHeadersSetter.INSTANCE);
        span.end();
        return headers;
    }
}
