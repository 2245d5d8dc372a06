package io.ctxprop.systemtests;

import io.ctxprop.telemetry.testing.KafkaTestClients;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The Kafka round trip against the official apache/kafka image, where Docker runs (skipped cleanly
 * where it does not): a bare producer's request is answered, in the trace its traceparent named.
 */
@Testcontainers(disabledWithoutDocker = true)
class KafkaContainerRoundTripIT {

    @Container
    static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.1.2");

    @Test
    void aRequestThroughTheOfficialImageIsAnsweredInItsTrace() throws Exception {
        String brokers = KAFKA.getBootstrapServers();
        try (var gateway = ServiceProcess.start("gateway-testcontainers", "gateway-service", "GATEWAY_PORT",
                Map.of("KAFKA_BOOTSTRAP_SERVERS", brokers))) {
            String traceId = "0123456789abcdef0123456789abcdef";
            var request = new ProducerRecord<String, byte[]>("llm.requests", "container-1", "{\"text\":\"hi\"}".getBytes(StandardCharsets.UTF_8));
            request.headers().add("traceparent", ("00-" + traceId + "-0123456789abcdef-01").getBytes(StandardCharsets.UTF_8));

            KafkaTestClients.send(brokers, request);

            var reply = KafkaTestClients.awaitRecords(brokers, "llm.replies",
                    List.of(record -> "container-1".equals(KafkaTestClients.header(record, "kafka_correlationId")))).getFirst();
            assertThat(new String(reply.value(), StandardCharsets.UTF_8)).contains("Offline model answer");
            assertThat(KafkaTestClients.header(reply, "traceparent")).startsWith("00-" + traceId);
        }
    }
}
