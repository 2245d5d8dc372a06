package io.ctxprop.telemetry.web;

import io.ctxprop.telemetry.SpanRunner;
import io.ctxprop.telemetry.attributes.SeedAttributes;
import io.ctxprop.telemetry.metrics.ContextMetrics;
import io.ctxprop.telemetry.metrics.Durations;
import io.ctxprop.telemetry.propagation.ServletRequestGetter;
import io.ctxprop.telemetry.propagation.TraceContextProblem;
import io.ctxprop.telemetry.propagation.TraceIds;
import io.ctxprop.telemetry.propagation.W3cBaggageLimits;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.semconv.ErrorAttributes;
import io.opentelemetry.semconv.HttpAttributes;
import io.opentelemetry.semconv.ServerAttributes;
import io.opentelemetry.semconv.UrlAttributes;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The SERVER span of one traced endpoint, opened before Spring MVC reads the body so that bad input
 * (malformed JSON, wrong content type, a method the endpoint does not take) is answered inside the
 * trace and its problem carries the trace id. Controllers enrich {@link Span#current()}. Register it on exact paths only: the path
 * is the route.
 */
public final class ServerSpanFilter extends OncePerRequestFilter {

    /** A caller's request id is recorded (the trace inspector pairs broken traces by it); a longer one is ignored. */
    static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("http.request.header.x-request-id");
    static final int MAX_REQUEST_ID_LENGTH = 128;
    /** The methods the HTTP conventions name; any other is {@code _OTHER}, so a client cannot add metric series. */
    static final Set<String> KNOWN_METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH");

    private final OpenTelemetry openTelemetry;
    private final Tracer tracer;
    private final DoubleHistogram duration;
    private final ContextMetrics context;
    private final String spanName;
    private final boolean extractInboundContext;
    private final boolean contextExpected;

    /**
     * @param extractInboundContext false makes every request a new trace, whatever the caller sent
     * @param contextExpected       true where callers are expected to send a trace context (the
     *                              gateway): a request without one is counted as not propagated. Where
     *                              requests start traces by design (the application), only a broken
     *                              context is counted.
     */
    public ServerSpanFilter(OpenTelemetry openTelemetry, Tracer tracer, ContextMetrics context, String spanName,
            boolean extractInboundContext, boolean contextExpected) {
        this.openTelemetry = openTelemetry;
        this.tracer = tracer;
        this.duration = Durations.histogram(openTelemetry.getMeter("io.ctxprop.telemetry"), "http.server.request.duration",
                "Duration of HTTP server requests");
        this.context = context;
        this.spanName = spanName;
        this.extractInboundContext = extractInboundContext;
        this.contextExpected = contextExpected;
    }

    /**
     * The caller's context, as far as it can be used, and what was wrong with it (the same rules as
     * on Kafka): a traceparent sent twice or longer than any version needs is not read (a new trace
     * starts), an invalid one is ignored by the propagator, baggage over the W3C limits is dropped
     * by {@link ServletRequestGetter} while the trace goes on.
     */
    private Context extract(HttpServletRequest request, List<String> problems) {
        int traceparents = Collections.list(request.getHeaders("traceparent")).size();
        String traceparent = request.getHeader("traceparent");
        Context parent = Context.current();
        if (traceparents > 1) {
            problems.add(TraceContextProblem.DUPLICATE_TRACEPARENT);
        } else if (traceparent != null && traceparent.length() > TraceContextProblem.MAX_TRACEPARENT_LENGTH) {
            problems.add(TraceContextProblem.OVERSIZED_TRACEPARENT);
        } else {
            parent = openTelemetry.getPropagators().getTextMapPropagator().extract(Context.current(), request, ServletRequestGetter.INSTANCE);
            if (traceparents == 0) {
                problems.add(TraceContextProblem.MISSING);
            } else if (!TraceIds.isRemoteParent(parent)) {
                problems.add(TraceContextProblem.INVALID_TRACEPARENT);
            }
        }
        List<String> baggage = Collections.list(request.getHeaders("baggage"));
        if (!baggage.isEmpty() && !W3cBaggageLimits.within(String.join(",", baggage))) {
            problems.add(TraceContextProblem.INVALID_BAGGAGE);
        }
        return parent;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String method = KNOWN_METHODS.contains(request.getMethod()) ? request.getMethod() : "_OTHER";
        List<String> problems = new ArrayList<>(1);
        Context parent = extractInboundContext ? extract(request, problems) : Context.current();
        Span span = tracer.spanBuilder(spanName)
                .setParent(parent)
                .setSpanKind(SpanKind.SERVER)
                .setAttribute(HttpAttributes.HTTP_REQUEST_METHOD, method)
                .setAttribute(UrlAttributes.URL_PATH, request.getRequestURI())
                .setAttribute(HttpAttributes.HTTP_ROUTE, request.getRequestURI())
                .setAttribute(UrlAttributes.URL_SCHEME, request.getScheme())
                .setAttribute(ServerAttributes.SERVER_ADDRESS, request.getServerName())
                .setAttribute(ServerAttributes.SERVER_PORT, (long) request.getServerPort())
                .setAttribute(SeedAttributes.CONTEXT_PROPAGATED, TraceIds.isRemoteParent(parent))
                .startSpan();
        long started = System.nanoTime();
        TraceContextProblem.describe(span, problems);
        for (String problem : problems) {
            if (contextExpected || !problem.equals(TraceContextProblem.MISSING)) {
                context.notPropagated("http", problem);
            }
        }
        String requestId = request.getHeader("X-Request-Id");
        if (requestId != null && requestId.length() <= MAX_REQUEST_ID_LENGTH) {
            span.setAttribute(REQUEST_ID, requestId);
        }
        // the extracted context, not just the span, becomes current: its baggage goes on with the request
        Context current = parent.with(span);
        try (Scope ignored = current.makeCurrent()) {
            chain.doFilter(request, response);
        } catch (IOException | ServletException | RuntimeException failure) {
            SpanRunner.markFailed(span, failure);
            throw failure;
        } finally {
            int status = response.getStatus();
            span.setAttribute(HttpAttributes.HTTP_RESPONSE_STATUS_CODE, (long) status);
            var attributes = Attributes.builder()
                    .put(HttpAttributes.HTTP_REQUEST_METHOD, method)
                    .put(HttpAttributes.HTTP_ROUTE, request.getRequestURI())
                    .put(HttpAttributes.HTTP_RESPONSE_STATUS_CODE, (long) status);
            if (status >= 500) {
                span.setAttribute(ErrorAttributes.ERROR_TYPE, Integer.toString(status));
                span.setStatus(StatusCode.ERROR);
                attributes.put(ErrorAttributes.ERROR_TYPE, Integer.toString(status));
            }
            // recorded with the span current, so a sampled measurement keeps its trace id as exemplar
            try (Scope ignored = current.makeCurrent()) {
                duration.record(Durations.secondsSince(started), attributes.build());
            }
            span.end();
        }
    }
}
