package io.ctxprop.telemetry.web;

import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.assertThat;
import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.equalTo;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ctxprop.telemetry.attributes.SeedAttributes;
import io.ctxprop.telemetry.metrics.ContextMetrics;
import io.ctxprop.telemetry.propagation.TraceContextProblem;
import io.ctxprop.telemetry.testing.InMemoryMetrics;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.testing.assertj.TracesAssert;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.StatusData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * The SERVER span of a traced endpoint: an inbound context continued or refused, bad trace headers
 * costing nothing but the context, errors recorded, and the caller's context current again afterwards.
 */
class ServerSpanFilterTest {

    static final String CALLER_TRACE = "0af7651916cd43dd8448eb211c80319c";
    static final String CALLER_SPAN = "b7ad6b7169203331";
    static final String TRACEPARENT = "00-" + CALLER_TRACE + "-" + CALLER_SPAN + "-01";
    static final ContextKey<String> THREAD_OWNER = ContextKey.named("thread owner");

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final InMemoryMetricReader metrics = InMemoryMetricReader.create();
    private final OpenTelemetrySdk openTelemetry = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
            .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
            .setPropagators(ContextPropagators.create(TextMapPropagator.composite(
                    W3CTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance())))
            .build();
    /** The servlet container thread's own context, which every request must leave as it found it. */
    private final Context caller = Context.root().with(THREAD_OWNER, "container");

    /** What the application saw while the filter's span was open. */
    private final AtomicReference<Context> inside = new AtomicReference<>();

    @AfterEach
    void close() {
        openTelemetry.close();
    }

    @Test
    void aValidTraceparentIsContinuedAsTheRemoteParent() throws Exception {
        var request = post("traceparent", TRACEPARENT, "baggage", "session.id=abc", "X-Request-Id", "req-1");

        run(filter(true), request, status(200));

        TracesAssert.assertThat(spans.getFinishedSpanItems()).hasTracesSatisfyingExactly(trace -> trace.hasTraceId(CALLER_TRACE)
                .hasSpansSatisfyingExactly(span -> span.hasName("application_process_request").hasKind(SpanKind.SERVER)
                        .hasParentSpanId(CALLER_SPAN)
                        .satisfies(data -> assertThat(data.getParentSpanContext().isRemote()).isTrue())
                        .hasStatus(StatusData.unset())
                        .hasAttributesSatisfyingExactly(
                                equalTo(AttributeKey.stringKey("http.request.method"), "POST"),
                                equalTo(AttributeKey.stringKey("url.path"), "/api/ask"),
                                equalTo(AttributeKey.stringKey("http.route"), "/api/ask"),
                                equalTo(AttributeKey.stringKey("url.scheme"), "http"),
                                equalTo(AttributeKey.stringKey("server.address"), "localhost"),
                                equalTo(AttributeKey.longKey("server.port"), 80L),
                                equalTo(AttributeKey.booleanKey("context_propagated"), true),
                                equalTo(AttributeKey.stringKey("http.request.header.x-request-id"), "req-1"),
                                equalTo(AttributeKey.longKey("http.response.status_code"), 200L))));
        var server = spans.getFinishedSpanItems().getFirst();
        assertThat(Span.fromContext(inside.get()).getSpanContext()).isEqualTo(server.getSpanContext());
        assertThat(Baggage.fromContext(inside.get()).getEntryValue("session.id")).isEqualTo("abc");
        assertThat(inside.get().get(THREAD_OWNER)).as("the request's context grows from the thread's").isEqualTo("container");
        assertThat(notPropagated()).isZero();
    }

    @Test
    void anInvalidTraceparentStartsANewTraceAndIsCounted() throws Exception {
        run(filter(true), post("traceparent", "00-not-a-trace-01"), status(200));

        assertThat(spans.getFinishedSpanItems()).singleElement().satisfies(span -> assertThat(span)
                .hasNoParent()
                .hasAttribute(AttributeKey.booleanKey("context_propagated"), false)
                .hasAttribute(TraceContextProblem.ATTRIBUTE, List.of(TraceContextProblem.INVALID_TRACEPARENT))
                .hasStatus(StatusData.unset()));
        assertThat(spans.getFinishedSpanItems().getFirst().getTraceId()).isNotEqualTo(CALLER_TRACE);
        assertThat(notPropagated()).isEqualTo(1);
        assertThat(notPropagated(TraceContextProblem.INVALID_TRACEPARENT)).isEqualTo(1);
    }

    @Test
    void aTraceparentSentTwiceOrTooLongStartsANewTraceAndSaysWhy() throws Exception {
        var twice = post("traceparent", TRACEPARENT);
        twice.addHeader("traceparent", TRACEPARENT);
        run(filter(true), twice, status(200));
        run(filter(true), post("traceparent", "01-" + CALLER_TRACE + "-" + CALLER_SPAN + "-01-" + "c".repeat(600)), status(200));

        assertThat(spans.getFinishedSpanItems()).hasSize(2).allSatisfy(span -> assertThat(span.getTraceId()).isNotEqualTo(CALLER_TRACE));
        assertThat(spans.getFinishedSpanItems().get(0)).hasNoParent()
                .hasAttribute(TraceContextProblem.ATTRIBUTE, List.of(TraceContextProblem.DUPLICATE_TRACEPARENT));
        assertThat(spans.getFinishedSpanItems().get(1)).hasNoParent()
                .hasAttribute(TraceContextProblem.ATTRIBUTE, List.of(TraceContextProblem.OVERSIZED_TRACEPARENT));
        assertThat(notPropagated()).isEqualTo(2);
    }

    @Test
    void whereRequestsStartTracesByDesignOnlyABrokenContextIsCounted() throws Exception {
        run(filter(true, false), post(), status(200));
        assertThat(notPropagated()).as("a browser's request without a context").isZero();
        // no context is said as such ("the caller sent none"), not as a rejected one
        assertThat(spans.getFinishedSpanItems().getFirst()).hasAttribute(SeedAttributes.CONTEXT_PROPAGATED, false)
                .hasAttribute(TraceContextProblem.ABSENT, true);
        assertThat(spans.getFinishedSpanItems().getFirst().getAttributes().get(TraceContextProblem.ATTRIBUTE)).isNull();

        run(filter(true, false), post("traceparent", "00-not-a-trace-01"), status(200));
        assertThat(notPropagated(TraceContextProblem.INVALID_TRACEPARENT)).isEqualTo(1);
        assertThat(notPropagated()).isEqualTo(1);
        assertThat(spans.getFinishedSpanItems().getLast()).hasAttribute(TraceContextProblem.ATTRIBUTE,
                List.of(TraceContextProblem.INVALID_TRACEPARENT));
        assertThat(spans.getFinishedSpanItems().getLast().getAttributes().get(TraceContextProblem.ABSENT)).isNull();
    }

    @Test
    void baggageOverTheW3cLimitsIsDroppedWhileTheTraceContinues() throws Exception {
        run(filter(true), post("traceparent", TRACEPARENT, "baggage", "k=" + "v".repeat(9000)), status(200));

        assertThat(spans.getFinishedSpanItems()).singleElement().satisfies(span -> assertThat(span)
                .hasTraceId(CALLER_TRACE).hasParentSpanId(CALLER_SPAN)
                .hasAttribute(AttributeKey.booleanKey("context_propagated"), true));
        assertThat(Baggage.fromContext(inside.get()).isEmpty()).isTrue();
        assertThat(spans.getFinishedSpanItems().getFirst().getAttributes().get(TraceContextProblem.ATTRIBUTE))
                .containsExactly(TraceContextProblem.INVALID_BAGGAGE);
        assertThat(notPropagated()).as("the baggage, not the trace, was lost").isEqualTo(1);
        assertThat(notPropagated(TraceContextProblem.INVALID_BAGGAGE)).isEqualTo(1);
    }

    @Test
    void withExtractionOffEveryRequestIsANewTrace() throws Exception {
        run(filter(false), post("traceparent", TRACEPARENT, "baggage", "session.id=abc"), status(200));

        assertThat(spans.getFinishedSpanItems()).singleElement().satisfies(span -> assertThat(span)
                .hasNoParent()
                .hasAttribute(AttributeKey.booleanKey("context_propagated"), false));
        assertThat(spans.getFinishedSpanItems().getFirst().getTraceId()).isNotEqualTo(CALLER_TRACE);
        assertThat(Baggage.fromContext(inside.get()).isEmpty()).as("nor is the caller's baggage taken").isTrue();
        assertThat(notPropagated()).as("refusing on purpose is not a missing context").isZero();
    }

    @Test
    void aServerErrorMarksTheSpan() throws Exception {
        run(filter(true), post("traceparent", TRACEPARENT), status(503));

        assertThat(spans.getFinishedSpanItems()).singleElement().satisfies(span -> assertThat(span)
                .hasStatusSatisfying(status -> status.hasCode(StatusCode.ERROR))
                .hasAttribute(AttributeKey.longKey("http.response.status_code"), 503L)
                .hasAttribute(AttributeKey.stringKey("error.type"), "503"));
    }

    @Test
    void aClientErrorLeavesTheStatusUnset() throws Exception {
        run(filter(true), post(), status(400));

        assertThat(spans.getFinishedSpanItems()).singleElement().satisfies(span -> assertThat(span)
                .hasStatus(StatusData.unset())
                .hasAttribute(AttributeKey.longKey("http.response.status_code"), 400L)
                .hasAttributesSatisfying(attributes -> assertThat(attributes.get(AttributeKey.stringKey("error.type"))).isNull()));
    }

    @Test
    void anExceptionFromTheChainIsRecordedAndRethrown() {
        var failure = new ServletException("the chain broke");

        try (Scope ignored = caller.makeCurrent()) {
            assertThatThrownBy(() -> filter(true).doFilter(post("traceparent", TRACEPARENT), new MockHttpServletResponse(),
                    (request, response) -> {
                        inside.set(Context.current());
                        throw failure;
                    })).isSameAs(failure);
            assertThat(Context.current()).isSameAs(caller);
        }

        assertThat(spans.getFinishedSpanItems()).singleElement().satisfies(span -> assertThat(span)
                .hasParentSpanId(CALLER_SPAN)
                .hasStatusSatisfying(status -> status.hasCode(StatusCode.ERROR).hasDescription("the chain broke"))
                .hasException(failure));
        assertThat(Span.fromContext(inside.get()).getSpanContext().getTraceId()).isEqualTo(CALLER_TRACE);
    }

    @Test
    void everyMethodOnTheRouteIsTracedSoA405CarriesATraceId() throws Exception {
        var get = new MockHttpServletRequest("GET", "/api/ask");

        run(filter(true), get, status(405));

        assertThat(spans.getFinishedSpanItems()).singleElement().satisfies(span -> assertThat(span)
                .hasAttribute(AttributeKey.stringKey("http.request.method"), "GET")
                .hasAttribute(AttributeKey.longKey("http.response.status_code"), 405L));
        assertThat(Span.fromContext(inside.get()).getSpanContext().isValid()).isTrue();
    }

    /** Where callers are expected to send a context (the gateway's filter). */
    private ServerSpanFilter filter(boolean extractInboundContext) {
        return filter(extractInboundContext, true);
    }

    private ServerSpanFilter filter(boolean extractInboundContext, boolean contextExpected) {
        return new ServerSpanFilter(openTelemetry, openTelemetry.getTracer("test"), new ContextMetrics(openTelemetry),
                "application_process_request", extractInboundContext, contextExpected);
    }

    private static MockHttpServletRequest post(String... headers) {
        var request = new MockHttpServletRequest("POST", "/api/ask");
        for (int i = 0; i < headers.length; i += 2) {
            request.addHeader(headers[i], headers[i + 1]);
        }
        return request;
    }

    /** The application: notes the context it runs in, and answers with {@code status}. */
    private FilterChain status(int status) {
        return (request, response) -> {
            inside.set(Context.current());
            ((HttpServletResponse) response).setStatus(status);
        };
    }

    /** Runs one request from the container thread's context, which must be current again afterwards. */
    private void run(ServerSpanFilter filter, MockHttpServletRequest request, FilterChain chain) throws Exception {
        try (Scope ignored = caller.makeCurrent()) {
            filter.doFilter(request, new MockHttpServletResponse(), chain);
            assertThat(Context.current()).isSameAs(caller);
        }
    }

    private long notPropagated() {
        return InMemoryMetrics.counter(metrics.collectAllMetrics(), "ctxprop.context.not_propagated", Map.of("transport", "http"));
    }

    private long notPropagated(String reason) {
        return InMemoryMetrics.counter(metrics.collectAllMetrics(), "ctxprop.context.not_propagated",
                Map.of("transport", "http", "reason", reason));
    }
}
