package io.ctxprop.application.gateway;

import static io.opentelemetry.semconv.ErrorAttributes.ERROR_TYPE;
import static io.opentelemetry.semconv.HttpAttributes.HTTP_REQUEST_METHOD;
import static io.opentelemetry.semconv.HttpAttributes.HTTP_RESPONSE_STATUS_CODE;
import static io.opentelemetry.semconv.ServerAttributes.SERVER_ADDRESS;
import static io.opentelemetry.semconv.ServerAttributes.SERVER_PORT;
import static io.opentelemetry.semconv.UrlAttributes.URL_FULL;

import io.ctxprop.telemetry.attributes.SeedAttributes;
import io.ctxprop.telemetry.web.TracedProblem;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import java.net.URI;

/** The {@code gateway_request} CLIENT span of a call to the gateway, answered or streamed, and its metric attributes. */
final class GatewaySpan {

    static final String SPAN_NAME = "gateway_request";
    /** Sent on every call, propagation or not, so the inspector can pair the two sides of a broken trace. */
    static final String REQUEST_ID = "X-Request-Id";
    static final AttributeKey<String> REQUEST_ID_ATTRIBUTE = AttributeKey.stringKey("http.request.header.x-request-id");

    private GatewaySpan() {
    }

    static Span start(Tracer tracer, URI url, boolean propagate, String requestId) {
        return tracer.spanBuilder(SPAN_NAME)
                .setSpanKind(SpanKind.CLIENT)
                .setAttribute(HTTP_REQUEST_METHOD, "POST")
                .setAttribute(URL_FULL, url.toString())
                .setAttribute(SERVER_ADDRESS, url.getHost())
                .setAttribute(SERVER_PORT, (long) url.getPort())
                .setAttribute(SeedAttributes.GATEWAY_URL, url.toString())
                .setAttribute(SeedAttributes.CONTEXT_PROPAGATED, propagate)
                .setAttribute(REQUEST_ID_ATTRIBUTE, requestId)
                .startSpan();
    }

    /** The attributes of {@code http.client.request.duration} known before the answer. */
    static AttributesBuilder metricAttributes(URI url) {
        return Attributes.builder().put(HTTP_REQUEST_METHOD, "POST").put(SERVER_ADDRESS, url.getHost())
                .put(SERVER_PORT, (long) url.getPort());
    }

    static void answered(Span span, int status) {
        span.setAttribute(HTTP_RESPONSE_STATUS_CODE, (long) status);
        span.setAttribute(SeedAttributes.GATEWAY_RESPONSE_STATUS, (long) status);
    }

    /** The gateway answered, but not with an answer: its 504 stays a 504, anything else is a 502. */
    static TracedProblem failed(Span span, int status, String upstream) {
        span.setAttribute(SeedAttributes.GATEWAY_RESPONSE_ERROR, upstream.isEmpty() ? "HTTP " + status : upstream);
        span.setAttribute(ERROR_TYPE, Integer.toString(status));
        if (status == 504) {
            return new TracedProblem(504, "Gateway timeout", "The gateway ran out of time: " + upstream);
        }
        return new TracedProblem(502, "Gateway error", status >= 200 && status < 300
                ? "The gateway's answer could not be read."
                : "The gateway answered HTTP " + status + (upstream.isEmpty() ? "." : ": " + upstream));
    }

    /** No answer came: the gateway could not be reached, or did not answer within the timeout. */
    static TracedProblem notAnswered(Span span, GatewayProperties properties, Exception failure, boolean timedOut) {
        span.setAttribute(SeedAttributes.GATEWAY_RESPONSE_ERROR, failure.getClass().getSimpleName());
        if (timedOut) {
            return new TracedProblem(504, "Gateway timeout",
                    "The gateway did not answer within " + properties.timeout().toMillis() + " ms.", failure);
        }
        return new TracedProblem(502, "Gateway unreachable", "The gateway at " + properties.url() + " could not be reached.", failure);
    }
}
