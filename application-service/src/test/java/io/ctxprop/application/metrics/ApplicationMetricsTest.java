package io.ctxprop.application.metrics;

import static io.ctxprop.telemetry.testing.InMemoryMetrics.counter;
import static io.ctxprop.telemetry.testing.InMemoryMetrics.histogram;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ctxprop.application.gateway.GatewayStub;
import io.ctxprop.application.kafka.KafkaGatewayStub;
import io.ctxprop.telemetry.testing.InMemoryMetrics;
import io.ctxprop.telemetry.testing.InMemoryTracing;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The application's instruments after real requests, with this test playing the gateway on Kafka: the
 * answer latency by transport, HTTP client durations, requests in flight back at zero, and the late and
 * duplicate reply counters moved by exactly one each.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.kafka.listener.auto-startup=true", "spring.kafka.admin.auto-create=true", "llm.kafka.reply-timeout=2s"})
@EmbeddedKafka(partitions = 6, topics = {"llm.requests", "llm.replies"}, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
@Import({InMemoryTracing.class, InMemoryMetrics.class})
class ApplicationMetricsTest {

    static final GatewayStub GATEWAY = GatewayStub.start();
    static final String ANSWER = "{\"response\":\"from the test\",\"model\":\"test-model\"}";

    @DynamicPropertySource
    static void gateway(DynamicPropertyRegistry registry) {
        registry.add("gateway.url", GATEWAY::processUrl);
    }

    @Autowired
    InMemoryMetricReader reader;

    @Value("${local.server.port}")
    int port;

    @Value("${spring.kafka.bootstrap-servers}")
    String brokers;

    private final HttpClient http = HttpClient.newHttpClient();

    @AfterAll
    static void stop() {
        GATEWAY.close();
    }

    @Test
    void answerLatencyByTransportAndLateAndDuplicateRepliesCountedOnce() throws Exception {
        assertThat(ask("http").join().statusCode()).isEqualTo(200);
        assertThat(ask("http").join().statusCode()).isEqualTo(200);

        try (var kafkaGateway = new KafkaGatewayStub(brokers)) {
            var late = ask("kafka");
            ConsumerRecord<String, String> lateRequest = kafkaGateway.nextRequest("measure");
            assertThat(late.join().statusCode()).isEqualTo(504);
            kafkaGateway.reply(lateRequest, ANSWER);

            var answered = ask("kafka");
            ConsumerRecord<String, String> answeredRequest = kafkaGateway.nextRequest("measure");
            kafkaGateway.reply(answeredRequest, ANSWER);
            assertThat(answered.join().statusCode()).isEqualTo(200);
            kafkaGateway.reply(answeredRequest, ANSWER);
        }

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            var metrics = reader.collectAllMetrics();
            assertThat(counter(metrics, "ctxprop.kafka.replies.late", Map.of())).isEqualTo(1);
            assertThat(counter(metrics, "ctxprop.kafka.replies.duplicate", Map.of())).isEqualTo(1);
        });
        var metrics = reader.collectAllMetrics();
        assertThat(histogram(metrics, "ctxprop.answer.duration", Map.of("transport", "http"))
                .mapToLong(HistogramPointData::getCount).sum()).isEqualTo(2);
        assertThat(histogram(metrics, "ctxprop.answer.duration", Map.of("transport", "kafka", "error.type", "504"))
                .mapToLong(HistogramPointData::getCount).sum()).isEqualTo(1);
        assertThat(histogram(metrics, "ctxprop.answer.duration", Map.of("transport", "kafka"))
                .mapToLong(HistogramPointData::getCount).sum()).isEqualTo(2);
        assertThat(histogram(metrics, "http.client.request.duration", Map.of("http.response.status_code", "200"))
                .mapToLong(HistogramPointData::getCount).sum()).isEqualTo(2);
        assertThat(histogram(metrics, "http.server.request.duration", Map.of("http.route", "/api/ask"))
                .mapToLong(HistogramPointData::getCount).sum()).isEqualTo(4);
        assertThat(InMemoryMetrics.named(metrics, "ctxprop.requests.in_flight").orElseThrow().getLongSumData().getPoints())
                .allSatisfy(point -> assertThat(point.getValue()).isZero());
        assertThat(counter(metrics, "messaging.client.sent.messages", Map.of("messaging.destination.name", "llm.requests"))).isEqualTo(2);
        assertThat(counter(metrics, "messaging.client.consumed.messages", Map.of("messaging.destination.name", "llm.replies"))).isEqualTo(3);
    }

    private CompletableFuture<HttpResponse<String>> ask(String transport) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/ask"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"measure\",\"transport\":\"" + transport + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
