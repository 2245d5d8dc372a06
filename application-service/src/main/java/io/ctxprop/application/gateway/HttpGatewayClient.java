package io.ctxprop.application.gateway;

import static io.opentelemetry.semconv.ErrorAttributes.ERROR_TYPE;
import static io.opentelemetry.semconv.HttpAttributes.HTTP_RESPONSE_STATUS_CODE;

import io.ctxprop.application.prompt.Answer;
import io.ctxprop.application.prompt.AnswerSource;
import io.ctxprop.application.prompt.Transport;
import io.ctxprop.telemetry.SpanRunner;
import io.ctxprop.telemetry.propagation.HttpHeadersSetter;
import io.ctxprop.telemetry.web.TracedProblem;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.Meter;
import io.ctxprop.telemetry.metrics.Durations;
import io.opentelemetry.api.trace.Span;
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
        String requestId = UUID.randomUUID().toString();
        Span span = GatewaySpan.start(tracer, properties.url(), propagate, requestId);
        long started = System.nanoTime();
        return SpanRunner.call(span, current -> {
            var attributes = GatewaySpan.metricAttributes(properties.url());
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
                        headers.set(GatewaySpan.REQUEST_ID, requestId);
                        if (properties.authorization() != null) {
                            headers.set("Authorization", properties.authorization());
                        }
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
            throw GatewaySpan.notAnswered(span, properties, failure, failure.getCause() instanceof HttpTimeoutException);
        }
    }

    private JsonNode read(HttpStatusCode status, byte[] body, Span span) {
        GatewaySpan.answered(span, status.value());
        JsonNode reply = parse(body);
        if (status.is2xxSuccessful() && reply != null && reply.hasNonNull("response")) {
            return reply;
        }
        throw GatewaySpan.failed(span, status.value(), reply == null ? "" : reply.path("detail").asString(""));
    }

    private JsonNode parse(byte[] body) {
        try {
            return body.length == 0 ? null : json.readTree(body);
        } catch (JacksonException malformed) {
            return null;
        }
    }
}
