package io.ctxprop.application.streaming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ctxprop.application.gateway.GatewayStub;
import io.ctxprop.telemetry.streaming.EventStreamReader;
import io.ctxprop.telemetry.testing.InMemoryMetrics;
import io.ctxprop.telemetry.testing.InMemoryTracing;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /api/ask/stream} against the gateway's two sides played by tests: the HTTP stub of
 * {@code /process/stream}, and the test itself on a real in-process broker. One Spring context for
 * every streaming test (the same configuration here), so the broker starts once.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.kafka.listener.auto-startup=true", "spring.kafka.admin.auto-create=true", "llm.kafka.reply-timeout=2s",
                "gateway.timeout=2s", "gateway.api-key=stream-gateway-key"})
@EmbeddedKafka(partitions = 2, topics = {"llm.requests", "llm.replies"}, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
@Import({InMemoryTracing.class, InMemoryMetrics.class})
abstract class StreamingTestBase {

    /** One stub for the one context of every streaming test class (it ends with the test JVM). */
    static final GatewayStub GATEWAY = GatewayStub.start();
    static final JsonMapper JSON = JsonMapper.builder().build();

    record Event(String name, JsonNode data) {

        String text(String field) {
            return data.path(field).asString();
        }
    }

    @DynamicPropertySource
    static void gateway(DynamicPropertyRegistry registry) {
        registry.add("gateway.url", GATEWAY::processUrl);
    }

    @Autowired
    InMemorySpanExporter spans;

    @Autowired
    InMemoryMetricReader metrics;

    @Value("${local.server.port}")
    int port;

    @Value("${spring.kafka.bootstrap-servers}")
    String brokers;

    final HttpClient http = HttpClient.newHttpClient();

    /** Starts a streamed ask; the caller reads the events as they come (and closes the stream). */
    HttpResponse<InputStream> open(String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/ask/stream"))
                .header("Content-Type", "application/json").header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    HttpResponse<String> post(String contentType, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/ask/stream"))
                .header("Content-Type", contentType).header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Every event of a whole stream, in order. */
    List<Event> ask(String body) throws Exception {
        HttpResponse<InputStream> response = open(body);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
        List<Event> events = new ArrayList<>();
        try (var reader = new EventStreamReader(response.body())) {
            for (var event = reader.next(); event != null; event = reader.next()) {
                events.add(new Event(event.name(), JSON.readTree(event.data())));
            }
        }
        return events;
    }

    static List<Event> named(List<Event> events, String name, String transport) {
        return events.stream().filter(event -> event.name().equals(name) && event.text("transport").equals(transport)).toList();
    }

    /** The stream ended with {@code done} carrying the trace id, and nothing after it. */
    static String assertDoneLast(List<Event> events) {
        assertThat(events).last().satisfies(done -> {
            assertThat(done.name()).isEqualTo("done");
            assertThat(done.text("traceId")).matches("[0-9a-f]{32}");
        });
        assertThat(events).filteredOn(event -> event.name().equals("done")).hasSize(1);
        return events.getLast().text("traceId");
    }

    SpanData awaitSpan(Predicate<SpanData> wanted) {
        return await().atMost(Duration.ofSeconds(10)).until(() -> spans.getFinishedSpanItems().stream().filter(wanted).findFirst(),
                Optional::isPresent).orElseThrow();
    }

    SpanData awaitSpan(String name, String traceId) {
        return awaitSpan(span -> span.getName().equals(name) && span.getTraceId().equals(traceId));
    }

    List<SpanData> spansNamed(String name, String traceId) {
        return spans.getFinishedSpanItems().stream().filter(span -> span.getName().equals(name) && span.getTraceId().equals(traceId)).toList();
    }
}
