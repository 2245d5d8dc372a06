package io.ctxprop.telemetry.web;

import io.ctxprop.telemetry.SpanRunner;
import io.ctxprop.telemetry.attributes.HttpAttributes;
import io.ctxprop.telemetry.attributes.SeedAttributes;
import io.ctxprop.telemetry.propagation.ServletRequestGetter;
import io.ctxprop.telemetry.propagation.TraceIds;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.ctxprop.telemetry.metrics.ContextMetrics;
import io.ctxprop.telemetry.metrics.Durations;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The SERVER span of one traced endpoint, opened before Spring MVC reads the body so that bad input
 * (malformed JSON, wrong content type) is answered inside the trace and its problem carries the
 * trace id. Controllers enrich {@link Span#current()}. Register it on exact paths only: the path
 * is the route.
 */
public final class ServerSpanFilter extends OncePerRequestFilter {

    /** A caller's request id is recorded (the trace inspector pairs broken traces by it); a longer one is ignored. */
    static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("http.request.header.x-request-id");
    static final int MAX_REQUEST_ID_LENGTH = 128;

    private final OpenTelemetry openTelemetry;
    private final Tracer tracer;
    private final DoubleHistogram duration;
    private final ContextMetrics context;
    private final String spanName;
    private final boolean extractInboundContext;

    /**
     * @param extractInboundContext false makes every request a new trace, whatever the caller sent
     */
    public ServerSpanFilter(OpenTelemetry openTelemetry, Tracer tracer, ContextMetrics context, String spanName,
            boolean extractInboundContext) {
        this.openTelemetry = openTelemetry;
        this.tracer = tracer;
        this.duration = Durations.histogram(openTelemetry.getMeter("io.ctxprop.telemetry"), "http.server.request.duration",
                "Duration of HTTP server requests");
        this.context = context;
        this.spanName = spanName;
        this.extractInboundContext = extractInboundContext;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equals(request.getMethod());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Context parent = extractInboundContext
                ? openTelemetry.getPropagators().getTextMapPropagator().extract(Context.current(), request, ServletRequestGetter.INSTANCE)
                : Context.current();
        Span span = tracer.spanBuilder(spanName)
                .setParent(parent)
                .setSpanKind(SpanKind.SERVER)
                .setAttribute(HttpAttributes.REQUEST_METHOD, request.getMethod())
                .setAttribute(HttpAttributes.URL_PATH, request.getRequestURI())
                .setAttribute(HttpAttributes.ROUTE, request.getRequestURI())
                .setAttribute(HttpAttributes.URL_SCHEME, request.getScheme())
                .setAttribute(HttpAttributes.SERVER_ADDRESS, request.getServerName())
                .setAttribute(HttpAttributes.SERVER_PORT, (long) request.getServerPort())
                .setAttribute(SeedAttributes.CONTEXT_PROPAGATED, TraceIds.isRemoteParent(parent))
                .startSpan();
        long started = System.nanoTime();
        if (extractInboundContext && !TraceIds.isRemoteParent(parent)) {
            context.notPropagated("http");
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
            span.setAttribute(HttpAttributes.RESPONSE_STATUS_CODE, (long) status);
            var attributes = Attributes.builder()
                    .put(HttpAttributes.REQUEST_METHOD, request.getMethod())
                    .put(HttpAttributes.ROUTE, request.getRequestURI())
                    .put(HttpAttributes.RESPONSE_STATUS_CODE, (long) status);
            if (status >= 500) {
                span.setAttribute(HttpAttributes.ERROR_TYPE, Integer.toString(status));
                span.setStatus(StatusCode.ERROR);
                attributes.put(HttpAttributes.ERROR_TYPE, Integer.toString(status));
            }
            // recorded with the span current, so a sampled measurement keeps its trace id as exemplar
            try (Scope ignored = current.makeCurrent()) {
                duration.record(Durations.secondsSince(started), attributes.build());
            }
            span.end();
        }
    }
}
