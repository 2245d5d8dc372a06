package io.ctxprop.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * Hostile request records interleaved with valid ones on a real broker: every valid one is answered,
 * every hostile one is in the dead-letter topic with its reason, and the listener never stalls.
 */
class HostileKafkaIT {

    record Hostile(String reason, ProducerRecord<String, byte[]> record) {
    }

    @Test
    void everyValidRecordIsAnsweredAndEveryHostileOneDeadLettered() throws Exception {
        int each = ReliabilityReport.count(1000, 100);
        try (var stack = new Stack()) {
            stack.gateway("gateway-hostile-kafka", Map.of());
            String brokers = stack.broker.getBrokersAsString();
            Map<String, String> expectedReason = new HashMap<>();
            Set<String> valid = new HashSet<>();
            List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
            for (int i = 0; i < each; i++) {
                Hostile hostile = hostile(i);
                expectedReason.put(hostile.record().key(), hostile.reason());
                records.add(hostile.record());
                String validKey = "valid-" + i;
                valid.add(validKey);
                var good = new ProducerRecord<String, byte[]>("llm.requests", validKey, ("{\"text\":\"valid " + i + "\"}").getBytes(StandardCharsets.UTF_8));
                if (i % 2 == 0) {
                    good.headers().add("kafka_replyTopic", "llm.replies".getBytes(StandardCharsets.UTF_8));
                }
                records.add(good);
            }
            KafkaClients.sendAll(brokers, records);

            List<Predicate<ConsumerRecord<String, byte[]>>> deadLetters = expectedReason.keySet().stream()
                    .<Predicate<ConsumerRecord<String, byte[]>>>map(key -> record -> key.equals(record.key())).toList();
            var dead = KafkaClients.awaitRecords(brokers, "llm.requests-dlt", deadLetters);
            Map<String, Integer> byReason = new TreeMap<>();
            for (var record : dead) {
                String reason = KafkaClients.header(record, "dlt-reason");
                assertThat(reason).as(record.key()).isEqualTo(expectedReason.get(record.key()));
                byReason.merge(reason, 1, Integer::sum);
            }
            List<Predicate<ConsumerRecord<String, byte[]>>> answers = valid.stream()
                    .<Predicate<ConsumerRecord<String, byte[]>>>map(key -> record -> key.equals(KafkaClients.header(record, "kafka_correlationId")))
                    .toList();
            var replies = KafkaClients.awaitRecords(brokers, "llm.replies", answers);
            assertThat(replies).allSatisfy(reply -> assertThat(new String(reply.value(), StandardCharsets.UTF_8)).contains("\"response\""));

            ReliabilityReport.record("hostile Kafka records interleaved with valid ones",
                    "valid sent", valid.size(), "valid answered", replies.size(), "hostile sent", expectedReason.size(),
                    "hostile dead-lettered with their reason", dead.size(), "lost", valid.size() + expectedReason.size() - replies.size() - dead.size(),
                    "reasons", byReason.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" ")));
        }
    }

    private static Hostile hostile(int i) {
        String key = "hostile-" + i;
        byte[] hi = "hi".getBytes(StandardCharsets.UTF_8);
        String validTrace = "00-6e0c63257de34c926f9efcd03927272e-00f067aa0ba902b7-01";
        return switch (i % 10) {
            case 0 -> new Hostile("undeserializable-value", record(key, "{\"text\": \"broken".getBytes(StandardCharsets.UTF_8)));
            case 1 -> new Hostile("empty-value", record(key, new byte[0]));
            case 2 -> new Hostile("text-too-large", record(key, "x".repeat(9000).getBytes(StandardCharsets.UTF_8)));
            case 3 -> new Hostile("undeserializable-value", record(key, new byte[] {0x00, (byte) 0x9f, (byte) 0xff, 0x10}));
            case 4 -> new Hostile("missing-text", record(key, "{\"prompt\":\"no text field\"}".getBytes(StandardCharsets.UTF_8)));
            case 5 -> new Hostile("invalid-traceparent", withHeader(record(key, hi), "traceparent", "00-xyz-123-01"));
            case 6 -> new Hostile("invalid-traceparent", withHeader(record(key, hi), "traceparent", "01-" + "a".repeat(32) + "-" + "b".repeat(16) + "-01-" + "c".repeat(1000)));
            case 7 -> new Hostile("duplicate-traceparent", withHeader(withHeader(record(key, hi), "traceparent", validTrace), "traceparent", validTrace));
            case 8 -> new Hostile("invalid-baggage", withHeader(record(key, hi), "baggage", "k=v,".repeat(200)));
            default -> {
                var record = record(key, hi);
                record.headers().add("tracestate", new byte[] {(byte) 0xc3, (byte) 0x28, (byte) 0xa0});
                yield new Hostile("garbage-header", record);
            }
        };
    }

    private static ProducerRecord<String, byte[]> record(String key, byte[] value) {
        return new ProducerRecord<>("llm.requests", key, value);
    }

    private static ProducerRecord<String, byte[]> withHeader(ProducerRecord<String, byte[]> record, String name, String value) {
        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
        return record;
    }
}
