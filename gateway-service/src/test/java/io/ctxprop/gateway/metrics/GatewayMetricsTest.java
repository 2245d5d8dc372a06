package io.ctxprop.gateway.metrics;

import static io.ctxprop.telemetry.testing.InMemoryMetrics.counter;
import static io.ctxprop.telemetry.testing.InMemoryMetrics.histogram;
import static org.assertj.core.api.Assertions.assertThat;

import io.ctxprop.gateway.completion.ModelStub;
import io.ctxprop.gateway.completion.ModelStub.Reply;
import io.ctxprop.telemetry.testing.InMemoryMetrics;
import io.ctxprop.telemetry.testing.InMemoryTracing;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** After requests over HTTP, the gateway's meter provider holds the HTTP, GenAI and propagation instruments. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import({InMemoryTracing.class, InMemoryMetrics.class})
class GatewayMetricsTest {

    static final ModelStub MODEL = ModelStub.start();

    @DynamicPropertySource
    static void modelServer(DynamicPropertyRegistry registry) {
        registry.add("openai.base-url", MODEL::baseUrl);
        registry.add("openai.api-key", () -> "sk-metrics-test");
    }

    @Autowired
    InMemoryMetricReader reader;

    @Value("${local.server.port}")
    int port;

    @AfterAll
    static void stopStub() {
        MODEL.close();
    }

    @Test
    void countsRequestsTokensAndRequestsWithoutContext() throws Exception {
        MODEL.willReply(Reply.completion("metered"));
        post("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        post("00-4bf92f3577b34da6a3ce929d0e0e4737-00f067aa0ba902b7-01");
        post(null);

        var metrics = reader.collectAllMetrics();
        assertThat(histogram(metrics, "http.server.request.duration",
                Map.of("http.route", "/process", "http.request.method", "POST", "http.response.status_code", "200"))
                .mapToLong(HistogramPointData::getCount).sum()).isEqualTo(3);
        assertThat(histogram(metrics, "gen_ai.client.token.usage", Map.of("gen_ai.token.type", "input"))
                .mapToDouble(HistogramPointData::getSum).sum()).isEqualTo(33.0);
        assertThat(histogram(metrics, "gen_ai.client.token.usage", Map.of("gen_ai.token.type", "output"))
                .mapToDouble(HistogramPointData::getSum).sum()).isEqualTo(21.0);
        assertThat(histogram(metrics, "gen_ai.client.operation.duration", Map.of()).mapToLong(HistogramPointData::getCount).sum()).isEqualTo(3);
        assertThat(counter(metrics, "ctxprop.context.not_propagated", Map.of("transport", "http"))).isEqualTo(1);
        assertThat(histogram(metrics, "http.server.request.duration", Map.of()).flatMap(point -> point.getExemplars().stream()))
                .as("latency measurements lead back to their traces").isNotEmpty()
                .allSatisfy(exemplar -> assertThat(exemplar.getSpanContext().getTraceId()).hasSize(32));
    }

    private void post(String traceparent) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/process"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"count me\"}"));
        if (traceparent != null) {
            request.header("traceparent", traceparent);
        }
        assertThat(HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    }
}
