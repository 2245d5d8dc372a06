package io.ctxprop.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.ctxprop.telemetry.testing.KafkaTestClients;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * A failure after the gateway started answering, made by the broker, not by a test hook: the reply
 * topic takes no record over 64 bytes, so every reply send fails (after the producer's delivery
 * timeout, 3 s here). Each such request is tried again with backoff, then
 * dead-lettered ({@code processing-failed}, the exception classes in the detail) and committed; the
 * valid requests between them are answered.
 */
class HandlerFailureIT {

    @Test
    void aReplyTheBrokerRefusesIsRetriedThenDeadLetteredAndThePartitionMovesOn() throws Exception {
        int each = ReliabilityReport.count(1000, 10);
        try (var stack = new Stack()) {
            String brokers = stack.broker.getBrokersAsString();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers))) {
                admin.createTopics(List.of(new NewTopic("llm.replies.refused", 1, (short) 1)
                        .configs(Map.of("max.message.bytes", "64")))).all().get();
            }
            stack.gateway("gateway-refused-replies", Map.of("LLM_KAFKA_LISTENER_BACKOFF", "50ms", "LLM_KAFKA_LISTENER_MAX_BACKOFF", "100ms",
                    "SPRING_APPLICATION_JSON", "{\"spring.kafka.producer.properties.delivery.timeout.ms\":3000,"
                            + "\"spring.kafka.producer.properties.request.timeout.ms\":2000}"));

            List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
            List<String> refused = new ArrayList<>();
            List<String> valid = new ArrayList<>();
            for (int i = 0; i < each; i++) {
                var failing = new ProducerRecord<String, byte[]>("llm.requests", "refused-" + i, utf8("{\"text\":\"refused " + i + "\"}"));
                failing.headers().add("kafka_replyTopic", utf8("llm.replies.refused"));
                records.add(failing);
                refused.add(failing.key());
                records.add(new ProducerRecord<>("llm.requests", "answered-" + i, utf8("{\"text\":\"answered " + i + "\"}")));
                valid.add("answered-" + i);
            }
            KafkaTestClients.sendAll(brokers, records);

            var dead = KafkaTestClients.awaitRecords(brokers, "llm.requests-dlt",
                    refused.stream().<Predicate<ConsumerRecord<String, byte[]>>>map(key -> record -> key.equals(record.key())).toList());
            var replies = KafkaTestClients.awaitRecords(brokers, "llm.replies",
                    valid.stream().<Predicate<ConsumerRecord<String, byte[]>>>map(key -> record -> key.equals(KafkaTestClients.header(record, "kafka_correlationId"))).toList());
            KafkaTestClients.awaitCommittedToTheEnd(brokers, "llm-gateway", "llm.requests");
            ReliabilityReport.record("reply sends refused by the broker (handler failure after the model answered)",
                    "refused sent", refused.size(), "dead-lettered as processing-failed", dead.size(),
                    "valid sent", valid.size(), "valid answered", replies.size(), "lost", refused.size() + valid.size() - dead.size() - replies.size(),
                    "committed offsets", "at the end of every partition");

            assertThat(dead).allSatisfy(record -> {
                assertThat(KafkaTestClients.header(record, "dlt-reason")).isEqualTo("processing-failed");
                assertThat(KafkaTestClients.header(record, "dlt-reason-detail")).contains("org.springframework.kafka.KafkaException");
                assertThat(KafkaTestClients.header(record, "kafka_dlt-exception-fqcn")).isEqualTo("org.springframework.kafka.KafkaException");
                assertThat(KafkaTestClients.headerCount(record, "traceparent")).isEqualTo(1);
            });
            assertThat(replies).hasSize(valid.size());
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
