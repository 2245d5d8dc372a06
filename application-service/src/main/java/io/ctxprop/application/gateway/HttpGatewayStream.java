package io.ctxprop.application.gateway;

import static io.opentelemetry.semconv.ErrorAttributes.ERROR_TYPE;
import static io.opentelemetry.semconv.HttpAttributes.HTTP_RESPONSE_STATUS_CODE;

import io.ctxprop.application.prompt.Answer;
import io.ctxprop.application.prompt.StreamingAnswerSource;
import io.ctxprop.application.prompt.Transport;
import io.ctxprop.telemetry.SpanRunner;
import io.ctxprop.telemetry.attributes.SeedAttributes;
import io.ctxprop.telemetry.metrics.Durations;
import io.ctxprop.telemetry.streaming.EventStreamReader;
import io.ctxprop.telemetry.streaming.ServerSentEvents;
import io.ctxprop.telemetry.streaming.ServerSentEvents.ReaderGone;
import io.ctxprop.telemetry.streaming.StreamingAttributes;
import io.ctxprop.telemetry.web.TracedProblem;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The streamed HTTP hop: {@code POST <GATEWAY_URL>/stream} inside the {@code gateway_request} CLIENT
 * span, its events read one at a time as the gateway writes them. A reader who leaves closes the
 * response stream at once, so the gateway sees the connection go and stops its model call. No event
 * within {@code gateway.timeout} (before the answer begins, or between two events) is a 504.
 */
@Component
class HttpGatewayStream implements StreamingAnswerSource {

    /** Longest error body read from a gateway that refused to stream. */
    private static final int MAX_ERROR_BODY = 64 * 1024;

    private final OpenTelemetry openTelemetry;
    private final Tracer tracer;
    private final GatewayProperties properties;
    private final JsonMapper json;
    private final DoubleHistogram duration;
    private final URI url;
    private final HttpClient http;
    private final ScheduledExecutorService idle = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("gateway-stream-idle").factory());

    HttpGatewayStream(OpenTelemetry openTelemetry, Tracer tracer, GatewayProperties properties, JsonMapper json, Meter meter) {
        this.openTelemetry = openTelemetry;
        this.tracer = tracer;
        this.properties = properties;
        this.json = json;
        this.duration = Durations.histogram(meter, "http.client.request.duration", "Duration of HTTP client requests");
        this.url = URI.create(properties.url().toString().replaceAll("/+$", "") + "/stream");
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .connectTimeout(properties.timeout())
                .build();
    }

    @Override
    public Transport transport() {
        return Transport.HTTP;
    }

    @Override
    public Answer stream(String text, boolean propagate, Consumer<String> pieces) {
        String requestId = UUID.randomUUID().toString();
        Span span = GatewaySpan.start(tracer, url, propagate, requestId);
        span.setAttribute(StreamingAttributes.STREAMED, true);
        long started = System.nanoTime();
        AttributesBuilder attributes = GatewaySpan.metricAttributes(url);
        long[] chunks = {0};
        try (Scope ignored = span.makeCurrent()) {
            HttpResponse<InputStream> response = send(text, requestId, propagate, span);
            attributes.put(HTTP_RESPONSE_STATUS_CODE, (long) response.statusCode());
            return read(response, span, started, chunks, pieces);
        } catch (ReaderGone gone) {
            span.setAttribute(StreamingAttributes.OUTCOME, "cancelled");
            throw gone;
        } catch (TracedProblem problem) {
            attributes.put(ERROR_TYPE, Integer.toString(problem.status()));
            SpanRunner.markFailed(span, problem);
            throw problem;
        } catch (RuntimeException failure) {
            SpanRunner.markFailed(span, failure);
            throw failure;
        } finally {
            span.setAttribute(StreamingAttributes.CHUNKS, chunks[0]);
            duration.record(Durations.secondsSince(started), attributes.build());
            span.end();
        }
    }

    private HttpResponse<InputStream> send(String text, String requestId, boolean propagate, Span span) {
        var request = HttpRequest.newBuilder(url)
                .timeout(properties.timeout())
                .header("Content-Type", "application/json")
                .header("Accept", ServerSentEvents.CONTENT_TYPE)
                .header(GatewaySpan.REQUEST_ID, requestId)
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(Map.of("text", text))));
        if (properties.authorization() != null) {
            request.header("Authorization", properties.authorization());
        }
        if (propagate) {
            openTelemetry.getPropagators().getTextMapPropagator().inject(Context.current(), request, HttpRequest.Builder::setHeader);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw ReaderGone.interrupted(interrupted);
        } catch (IOException failure) {
            throw GatewaySpan.notAnswered(span, properties, failure, failure instanceof HttpTimeoutException);
        }
    }

    private Answer read(HttpResponse<InputStream> response, Span span, long started, long[] chunks, Consumer<String> pieces) {
        GatewaySpan.answered(span, response.statusCode());
        try (InputStream body = response.body(); var events = new EventStreamReader(body);
                var watchdog = new IdleTimeout(idle, properties.timeout(), body)) {
            if (response.statusCode() != 200 || !response.headers().firstValue("Content-Type").orElse("").startsWith(ServerSentEvents.CONTENT_TYPE)) {
                JsonNode problem = parse(new String(body.readNBytes(MAX_ERROR_BODY), java.nio.charset.StandardCharsets.UTF_8));
                throw GatewaySpan.failed(span, response.statusCode(), problem.path("detail").asString(""));
            }
            try {
                for (EventStreamReader.Event event = events.next(); event != null; event = events.next()) {
                    watchdog.reset();
                    JsonNode data = parse(event.data());
                    switch (event.name()) {
                        case "chunk" -> {
                            if (chunks[0]++ == 0) {
                                span.addEvent(StreamingAttributes.FIRST_CHUNK_EVENT);
                            }
                            pieces.accept(data.path("text").asString(""));
                            watchdog.reset(); // time spent writing to a slow reader is not the gateway's silence
                        }
                        case "done" -> {
                            long latencyMs = (System.nanoTime() - started) / 1_000_000;
                            return new Answer(transport().wireName(), data.path("response").asString(""), data.path("model").asString(""), latencyMs);
                        }
                        case "error" -> throw streamFailed(span, data.path("status").asInt(502), data.path("error").asString(""));
                        default -> {
                            // not an event of the contract: a newer gateway's, skipped
                        }
                    }
                }
                throw streamFailed(span, 502, "the stream ended without an answer");
            } catch (IOException broken) {
                if (Thread.currentThread().isInterrupted()) {
                    throw ReaderGone.interrupted(broken);
                }
                if (watchdog.fired()) {
                    span.setAttribute(SeedAttributes.GATEWAY_RESPONSE_ERROR, "no event within " + properties.timeout().toMillis() + " ms");
                    throw new TracedProblem(504, "Gateway timeout",
                            "The gateway sent nothing for " + properties.timeout().toMillis() + " ms.", broken);
                }
                throw streamFailed(span, 502, "the stream broke off (" + broken.getClass().getSimpleName() + ")");
            }
        } catch (IOException closing) {
            throw streamFailed(span, 502, "the stream could not be read (" + closing.getClass().getSimpleName() + ")");
        }
    }

    /** The gateway's {@code error} event (or a stream that broke): its 504 stays a 504, anything else is a 502. */
    private static TracedProblem streamFailed(Span span, int status, String error) {
        span.setAttribute(SeedAttributes.GATEWAY_RESPONSE_ERROR, error.isEmpty() ? "stream error " + status : error);
        span.setAttribute(ERROR_TYPE, Integer.toString(status == 504 ? 504 : 502));
        if (status == 504) {
            return new TracedProblem(504, "Gateway timeout", "The gateway ran out of time: " + error);
        }
        return new TracedProblem(502, "Gateway error", "The gateway's stream failed: " + error);
    }


    private JsonNode parse(String data) {
        try {
            return json.readTree(data.isEmpty() ? "{}" : data);
        } catch (JacksonException malformed) {
            return json.createObjectNode();
        }
    }
}
