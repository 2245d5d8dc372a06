package io.ctxprop.bench.carriers;

import io.ctxprop.telemetry.kafka.KafkaHeadersGetter;
import io.ctxprop.telemetry.kafka.KafkaHeadersSetter;
import io.ctxprop.telemetry.propagation.HttpHeadersSetter;
import io.ctxprop.telemetry.propagation.ServletRequestGetter;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.web.MockHttpServletRequest;

/**
 * One hop of the propagation carriers: the sender injects the current context into a new carrier
 * (Spring HttpHeaders, Kafka record headers), the receiver extracts it (from the servlet request,
 * from the record's headers). The context is what the services send: a sampled span and a
 * {@code session.id} baggage entry, through the default W3C trace-context and baggage propagators.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CarrierBenchmark {

    private final TextMapPropagator propagator = TextMapPropagator.composite(
            W3CTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance());
    private Context context;
    private MockHttpServletRequest inbound;

    @Setup
    public void setUp() {
        var span = SpanContext.create("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", TraceFlags.getSampled(),
                TraceState.getDefault());
        context = Context.root().with(Span.wrap(span))
                .with(Baggage.builder().put("session.id", "3f2a9c1e-5b7d-4e8a-9c6f-1d2e3f4a5b6c").build());
        // What the receiving servlet container holds: the headers the sender wrote.
        var sent = new HttpHeaders();
        propagator.inject(context, sent, HttpHeadersSetter.INSTANCE);
        inbound = new MockHttpServletRequest("POST", "/process");
        sent.forEach((name, values) -> values.forEach(value -> inbound.addHeader(name, value)));
        inbound.addHeader("Content-Type", "application/json");
    }

    @Benchmark
    public Context httpHop() {
        var headers = new HttpHeaders();
        propagator.inject(context, headers, HttpHeadersSetter.INSTANCE);
        return propagator.extract(Context.root(), inbound, ServletRequestGetter.INSTANCE);
    }

    @Benchmark
    public Context kafkaHop() {
        var headers = new RecordHeaders();
        propagator.inject(context, headers, KafkaHeadersSetter.INSTANCE);
        return propagator.extract(Context.root(), headers, KafkaHeadersGetter.INSTANCE);
    }
}
