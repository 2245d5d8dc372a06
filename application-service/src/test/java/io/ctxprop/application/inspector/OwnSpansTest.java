package io.ctxprop.application.inspector;

import static org.assertj.core.api.Assertions.assertThat;

import io.ctxprop.telemetry.testing.InMemoryTracing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The application's own spans reach its trace store in-process, as the application's service and
 * instance, while OTLP points at the application itself (as .env has it): they are not also posted
 * to its own /v1/traces, which would store each span twice.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@Import(InMemoryTracing.class)
class OwnSpansTest {

    static final int PORT = freePort();

    @DynamicPropertySource
    static void otlpToItself(DynamicPropertyRegistry registry) {
        registry.add("server.port", () -> PORT);
        registry.add("otel.traces.exporter", () -> "otlp");
        registry.add("otel.exporter.otlp.protocol", () -> "http/protobuf");
        registry.add("otel.exporter.otlp.endpoint", () -> "http://localhost:" + PORT);
        registry.add("otel.bsp.schedule.delay", () -> "10ms");
    }

    @Autowired
    TraceStore store;

    @Autowired
    Tracer tracer;

    @Autowired
    OpenTelemetrySdk sdk;

    @Autowired
    InMemorySpanExporter sdkSpans;

    @Test
    void ownSpansArriveInProcessOnceWithTheServiceAndInstance() throws Exception {
        var span = tracer.spanBuilder("own work").startSpan();
        span.end();
        String traceId = span.getSpanContext().getTraceId();

        // Flushes every processor, the OTLP exporter's too had there been one: its post would be stored.
        sdk.getSdkTracerProvider().forceFlush().join(10, TimeUnit.SECONDS);

        var stored = store.find(traceId).orElseThrow();
        assertThat(stored.spans()).singleElement().satisfies(record -> {
            assertThat(record.name()).isEqualTo("own work");
            assertThat(record.service()).isEqualTo("application-service");
            String instance = sdkSpans.getFinishedSpanItems().getFirst().getResource().getAttribute(AttributeKey.stringKey("service.instance.id"));
            assertThat(record.serviceInstance()).isEqualTo(instance == null ? "" : instance);
        });
    }

    @Test
    void aRequestsServerSpanIsInTheStoreWithinTheFormsWait() throws Exception {
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        // An empty prompt is refused before any hop, but its request still has its server span.
        var response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + "/api/ask"))
                .header("Content-Type", "application/json").header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(400);

        assertThat(store.await(traceId, 1, Duration.ofSeconds(2))).hasValueSatisfying(trace -> assertThat(trace.spans())
                .singleElement().satisfies(span -> {
                    assertThat(span.kind()).isEqualTo("SERVER");
                    assertThat(span.parentSpanId()).isEqualTo("00f067aa0ba902b7");
                }));
    }

    private static int freePort() {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
