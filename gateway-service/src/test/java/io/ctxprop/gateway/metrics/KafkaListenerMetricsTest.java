package io.ctxprop.gateway.metrics;

import static io.ctxprop.telemetry.testing.InMemoryMetrics.counter;
import static io.ctxprop.telemetry.testing.InMemoryMetrics.histogram;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ctxprop.telemetry.testing.InMemoryMetrics;
import io.ctxprop.telemetry.testing.InMemoryTracing;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * On a real (in-process KRaft) broker: two requests and one poison record move the messaging
 * counters, the process duration and the dead-letter counter by exactly what was sent, and the Kafka
 * clients' own metrics arrive through the bridge.
 */
@SpringBootTest(properties = {"spring.kafka.listener.auto-startup=true", "spring.kafka.admin.auto-create=true",
        "openai.api-key=", "openai.base-url="}, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@EmbeddedKafka(partitions = 6, topics = {"llm.requests", "llm.replies", "llm.requests-dlt"},
        bootstrapServersProperty = "spring.kafka.bootstrap-servers")
@Import({InMemoryTracing.class, InMemoryMetrics.class})
class KafkaListenerMetricsTest {

    @Autowired
    InMemoryMetricReader reader;

    @Value("${spring.kafka.bootstrap-servers}")
    String brokers;

    @Test
    void messagingAndDeadLetterCountersMoveByExactlyWhatWasSent() throws Exception {
        try (var producer = new KafkaProducer<String, byte[]>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            producer.send(new ProducerRecord<>("llm.requests", "m-1", "first".getBytes(StandardCharsets.UTF_8))).get();
            producer.send(new ProducerRecord<>("llm.requests", "m-2", "{\"no\":\"text\"}".getBytes(StandardCharsets.UTF_8))).get();
            producer.send(new ProducerRecord<>("llm.requests", "m-3", "second".getBytes(StandardCharsets.UTF_8))).get();
        }

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            var metrics = reader.collectAllMetrics();
            assertThat(histogram(metrics, "messaging.process.duration", Map.of("messaging.destination.name", "llm.requests"))
                    .mapToLong(HistogramPointData::getCount).sum()).isEqualTo(3);
        });
        var metrics = reader.collectAllMetrics();
        assertThat(counter(metrics, "messaging.client.consumed.messages", Map.of("messaging.destination.name", "llm.requests"))).isEqualTo(3);
        assertThat(counter(metrics, "messaging.client.sent.messages", Map.of("messaging.destination.name", "llm.replies"))).isEqualTo(2);
        assertThat(counter(metrics, "messaging.client.sent.messages", Map.of("messaging.destination.name", "llm.requests-dlt"))).isEqualTo(1);
        assertThat(counter(metrics, "ctxprop.kafka.dead_letters", Map.of("reason", "missing-text"))).isEqualTo(1);
        assertThat(counter(metrics, "ctxprop.kafka.dead_letters", Map.of())).isEqualTo(1);
        assertThat(histogram(metrics, "messaging.process.duration", Map.of("error.type", "missing-text"))
                .mapToLong(HistogramPointData::getCount).sum()).isEqualTo(1);
        assertThat(counter(metrics, "ctxprop.context.not_propagated", Map.of("transport", "kafka"))).isEqualTo(3);
        assertThat(metrics).extracting(metric -> metric.getName()).as("the Kafka clients' own metrics, bridged")
                .anySatisfy(name -> assertThat(name).startsWith("kafka.consumer."))
                .anySatisfy(name -> assertThat(name).startsWith("kafka.producer."));
    }
}
