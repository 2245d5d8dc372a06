package io.ctxprop.application.gateway;

import static io.opentelemetry.semconv.ErrorAttributes.ERROR_TYPE;
import static io.opentelemetry.semconv.HttpAttributes.HTTP_REQUEST_METHOD;
import static io.opentelemetry.semconv.HttpAttributes.HTTP_RESPONSE_STATUS_CODE;
import static io.opentelemetry.semconv.ServerAttributes.SERVER_ADDRESS;
import static io.opentelemetry.semconv.ServerAttributes.SERVER_PORT;
import static io.opentelemetry.semconv.UrlAttributes.URL_FULL;

import io.ctxprop.application.prompt.Answer;
import io.ctxprop.application.prompt.AnswerSource;
import io.ctxprop.application.prompt.Transport;
import io.ctxprop.telemetry.SpanRunner;
import io.ctxprop.telemetry.attributes.SeedAttributes;
import io.ctxprop.telemetry.propagation.HttpHeadersSetter;
import io.ctxprop.telemetry.web.TracedProblem;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.Meter;
import io.ctxprop.telemetry.metrics.Durations;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The synchronous hop: {@code POST /process} on the gateway inside a {@code gateway_request} CLIENT
 * span, with the trace context injected into the request headers unless propagation is off.
 */
@Component
class HttpGatewayClient implements AnswerSource {

    static final String SPAN_NAME = "gateway_request";
    /** Sent on every call, propagation or not, so the inspector can pair the two sides of a broken trace. */
    static final String REQUEST_ID = "X-Request-Id";
    static final AttributeKey<String> REQUEST_ID_ATTRIBUTE = AttributeKey.stringKey("http.request.header.x-request-id");

    private final OpenTelemetry openTelemetry;
    private final Tracer tracer;
    private final GatewayProperties properties;
    private final JsonMapper json;
    private final RestClient http;
    private final DoubleHistogram duration;

    HttpGatewayClient(OpenTelemetry openTelemetry, Tracer tracer, GatewayProperties properties, JsonMapper json, Meter meter) {
        this.duration = Durations.histogram(meter, "http.client.request.duration", "Duration of HTTP client requests");
        this.openTelemetry = openTelemetry;
        this.tracer = tracer;
        this.properties = properties;
        this.json = json;
        // Without an executor of its own, the request factory writes every request body on a new
        // platform thread (SimpleAsyncTaskExecutor): the benchmark found that to be most of this
        // hop's CPU. The gateway speaks HTTP/1.1, so no h2c upgrade is offered either.
        var client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .connectTimeout(properties.timeout())
                .build();
        var factory = new JdkClientHttpRequestFactory(client);
        factory.setReadTimeout(properties.timeout());
        this.http = RestClient.builder().requestFactory(factory).build();
    }

    @Override
    public Transport transport() {
        return Transport.HTTP;
    }

    @Override
    public Answer ask(String text, boolean propagate) {
        Span span = tracer.spanBuilder(SPAN_NAME)
                .setSpanKind(SpanKind.CLIENT)
                .setAttribute(HTTP_REQUEST_METHOD, "POST")
                .setAttribute(URL_FULL, properties.url().toString())
                .setAttribute(SERVER_ADDRESS, properties.url().getHost())
                .setAttribute(SERVER_PORT, (long) properties.url().getPort())
                .setAttribute(SeedAttributes.GATEWAY_URL, properties.url().toString())
                .setAttribute(SeedAttributes.CONTEXT_PROPAGATED, propagate)
                .startSpan();
        String requestId = UUID.randomUUID().toString();
        span.setAttribute(REQUEST_ID_ATTRIBUTE, requestId);
        long started = System.nanoTime();
        return SpanRunner.call(span, current -> {
            var attributes = Attributes.builder().put(HTTP_REQUEST_METHOD, "POST").put(SERVER_ADDRESS, properties.url().getHost())
                    .put(SERVER_PORT, (long) properties.url().getPort());
            try {
                JsonNode reply = post(text, requestId, propagate, current, attributes);
                long latencyMs = (System.nanoTime() - started) / 1_000_000;
                return new Answer(transport().wireName(), reply.path("response").asString(""), reply.path("model").asString(""), latencyMs);
            } catch (TracedProblem problem) {
                attributes.put(ERROR_TYPE, Integer.toString(problem.status()));
                throw problem;
            } finally {
                duration.record(Durations.secondsSince(started), attributes.build());
            }
        });
    }

    private JsonNode post(String text, String requestId, boolean propagate, Span span, AttributesBuilder attributes) {
        try {
            return http.post()
                    .uri(properties.url())
                    .contentType(MediaType.APPLICATION_JSON)
                    .headers(headers -> {
                        headers.set(REQUEST_ID, requestId);
                        if (propagate) {
                            openTelemetry.getPropagators().getTextMapPropagator().inject(Context.current(), headers, HttpHeadersSetter.INSTANCE);
                        }
                    })
                    .body(json.writeValueAsString(Map.of("text", text)))
                    .exchange((request, response) -> {
                        attributes.put(HTTP_RESPONSE_STATUS_CODE, (long) response.getStatusCode().value());
                        return read(response.getStatusCode(), response.getBody().readAllBytes(), span);
                    });
        } catch (ResourceAccessException failure) {
            span.setAttribute(SeedAttributes.GATEWAY_RESPONSE_ERROR, failure.getClass().getSimpleName());
            if (failure.getCause() instanceof HttpTimeoutException) {
                throw new TracedProblem(504, "Gateway timeout",
                        "The gateway did not answer within " + properties.timeout().toMillis() + " ms.", failure);
            }
            throw new TracedProblem(502, "Gateway unreachable", "The gateway at " + properties.url() + " could not be reached.", failure);
        }
    }

    private JsonNode read(HttpStatusCode status, byte[] body, Span span) {
        span.setAttribute(HTTP_RESPONSE_STATUS_CODE, (long) status.value());
        span.setAttribute(SeedAttributes.GATEWAY_RESPONSE_STATUS, (long) status.value());
        JsonNode reply = parse(body);
        if (status.is2xxSuccessful() && reply != null && reply.hasNonNull("response")) {
            return reply;
        }
        String upstream = reply == null ? "" : reply.path("detail").asString("");
        span.setAttribute(SeedAttributes.GATEWAY_RESPONSE_ERROR, upstream.isEmpty() ? "HTTP " + status.value() : upstream);
        span.setAttribute(ERROR_TYPE, Integer.toString(status.value()));
        if (status.value() == 504) {
            throw new TracedProblem(504, "Gateway timeout", "The gateway ran out of time: " + upstream);
        }
        throw new TracedProblem(502, "Gateway error", status.is2xxSuccessful()
                ? "The gateway's answer could not be read."
                : "The gateway answered HTTP " + status.value() + (upstream.isEmpty() ? "." : ": " + upstream));
    }

    private JsonNode parse(byte[] body) {
        try {
            return body.length == 0 ? null : json.readTree(body);
        } catch (JacksonException malformed) {
            return null;
        }
    }
}
