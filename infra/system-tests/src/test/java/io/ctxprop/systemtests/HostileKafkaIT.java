package io.ctxprop.systemtests;

import io.ctxprop.telemetry.testing.KafkaTestClients;

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
 * every hostile one is in the dead-letter topic with its reason (its content or reply routing is
 * wrong) or answered in a new trace (only its trace headers are), and the listener never stalls.
 */
class HostileKafkaIT {

    /**
     * @param reason the dead letter's {@code dlt-reason}, or null for a record that must be answered
     * @param sameTrace for an answered record: whether its reply continues the sender's trace
     */
    record Hostile(String reason, boolean sameTrace, ProducerRecord<String, byte[]> record) {

        static Hostile deadLettered(String reason, ProducerRecord<String, byte[]> record) {
            return new Hostile(reason, false, record);
        }

        static Hostile answeredInANewTrace(ProducerRecord<String, byte[]> record) {
            return new Hostile(null, false, record);
        }

        static Hostile answeredInItsTrace(ProducerRecord<String, byte[]> record) {
            return new Hostile(null, true, record);
        }
    }

    static final String SENDER_TRACE = "6e0c63257de34c926f9efcd03927272e";
    static final String VALID_TRACEPARENT = "00-" + SENDER_TRACE + "-00f067aa0ba902b7-01";

    @Test
    void everyValidRecordIsAnsweredEveryHostileOneDeadLetteredAndBrokenTraceHeadersCostNothing() throws Exception {
        int each = ReliabilityReport.count(1000, 130);
        try (var stack = new Stack()) {
            stack.gateway("gateway-hostile-kafka", Map.of());
            String brokers = stack.broker.getBrokersAsString();
            Map<String, Hostile> hostileByKey = new HashMap<>();
            Set<String> valid = new HashSet<>();
            List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
            for (int i = 0; i < each; i++) {
                Hostile hostile = hostile(i);
                hostileByKey.put(hostile.record().key(), hostile);
                records.add(hostile.record());
                String validKey = "valid-" + i;
                valid.add(validKey);
                var good = new ProducerRecord<String, byte[]>("llm.requests", validKey, ("{\"text\":\"valid " + i + "\"}").getBytes(StandardCharsets.UTF_8));
                if (i % 2 == 0) {
                    good.headers().add("kafka_replyTopic", "llm.replies".getBytes(StandardCharsets.UTF_8));
                }
                records.add(good);
            }
            KafkaTestClients.sendAll(brokers, records);

            Set<String> toDeadLetter = new HashSet<>();
            Set<String> toAnswer = new HashSet<>(valid);
            hostileByKey.forEach((key, hostile) -> (hostile.reason() == null ? toAnswer : toDeadLetter).add(key));
            List<Predicate<ConsumerRecord<String, byte[]>>> deadLetters = toDeadLetter.stream()
                    .<Predicate<ConsumerRecord<String, byte[]>>>map(key -> record -> key.equals(record.key())).toList();
            var dead = KafkaTestClients.awaitRecords(brokers, "llm.requests-dlt", deadLetters);
            Map<String, Integer> byReason = new TreeMap<>();
            for (var record : dead) {
                String reason = KafkaTestClients.header(record, "dlt-reason");
                assertThat(reason).as(record.key()).isEqualTo(hostileByKey.get(record.key()).reason());
                assertThat(KafkaTestClients.headerCount(record, "traceparent")).as(record.key()).isEqualTo(1);
                byReason.merge(reason, 1, Integer::sum);
            }
            List<Predicate<ConsumerRecord<String, byte[]>>> answers = toAnswer.stream()
                    .<Predicate<ConsumerRecord<String, byte[]>>>map(key -> record -> key.equals(KafkaTestClients.header(record, "kafka_correlationId")))
                    .toList();
            var replies = KafkaTestClients.awaitRecords(brokers, "llm.replies", answers);
            int newTraces = 0;
            for (var reply : replies) {
                assertThat(new String(reply.value(), StandardCharsets.UTF_8)).contains("\"response\"");
                assertThat(KafkaTestClients.headerCount(reply, "traceparent")).as("exactly one traceparent").isEqualTo(1);
                String traceparent = KafkaTestClients.header(reply, "traceparent");
                assertThat(traceparent).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[0-3]");
                Hostile hostile = hostileByKey.get(KafkaTestClients.header(reply, "kafka_correlationId"));
                if (hostile != null && hostile.sameTrace()) {
                    assertThat(traceparent).as("broken baggage: the sender's trace goes on").startsWith("00-" + SENDER_TRACE + "-");
                } else if (hostile != null) {
                    assertThat(traceparent).as("broken traceparent: a new trace").doesNotContain(SENDER_TRACE);
                    newTraces++;
                }
            }

            KafkaTestClients.awaitCommittedToTheEnd(brokers, "llm-gateway", "llm.requests");

            ReliabilityReport.record("hostile Kafka records interleaved with valid ones",
                    "valid sent", valid.size(), "hostile sent", hostileByKey.size(),
                    "answered (valid, and hostile only in their trace headers)", replies.size(),
                    "of which in a new trace", newTraces,
                    "hostile dead-lettered with their reason", dead.size(),
                    "lost", valid.size() + hostileByKey.size() - replies.size() - dead.size(),
                    "committed offsets", "at the end of every partition",
                    "reasons", byReason.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" ")));
        }
    }

    private static Hostile hostile(int i) {
        String key = "hostile-" + i;
        byte[] hi = "hi".getBytes(StandardCharsets.UTF_8);
        return switch (i % 13) {
            case 0 -> Hostile.deadLettered("undeserializable-value", record(key, "{\"text\": \"broken".getBytes(StandardCharsets.UTF_8)));
            case 1 -> Hostile.deadLettered("empty-value", record(key, new byte[0]));
            case 2 -> Hostile.deadLettered("text-too-large", record(key, "x".repeat(9000).getBytes(StandardCharsets.UTF_8)));
            case 3 -> Hostile.deadLettered("undeserializable-value", record(key, new byte[] {0x00, (byte) 0x9f, (byte) 0xff, 0x10}));
            case 4 -> Hostile.deadLettered("missing-text", record(key, "{\"prompt\":\"no text field\"}".getBytes(StandardCharsets.UTF_8)));
            case 5 -> Hostile.answeredInANewTrace(withHeader(record(key, hi), "traceparent", "00-xyz-123-01"));
            case 6 -> Hostile.answeredInANewTrace(withHeader(record(key, hi), "traceparent",
                    "01-" + SENDER_TRACE + "-" + "b".repeat(16) + "-01-" + "c".repeat(1000)));
            case 7 -> Hostile.answeredInANewTrace(withHeader(withHeader(record(key, hi), "traceparent", VALID_TRACEPARENT), "traceparent", VALID_TRACEPARENT));
            case 8 -> Hostile.answeredInItsTrace(withHeader(withHeader(record(key, hi), "traceparent", VALID_TRACEPARENT), "baggage", "k=v,".repeat(200)));
            case 9 -> {
                var record = withHeader(record(key, hi), "traceparent", VALID_TRACEPARENT);
                record.headers().add("tracestate", new byte[] {(byte) 0xc3, (byte) 0x28, (byte) 0xa0});
                yield Hostile.answeredInItsTrace(record);
            }
            case 10 -> {
                var record = record(key, hi);
                record.headers().add("kafka_replyTopic", new byte[] {(byte) 0xc3, (byte) 0x28, (byte) 0xa0});
                yield Hostile.deadLettered("garbage-header", record);
            }
            case 11 -> {
                var record = record(key, hi);
                record.headers().add("kafka_replyPartition", new byte[] {0, 0, 0, 99});
                yield Hostile.deadLettered("invalid-reply-partition", record);
            }
            default -> Hostile.deadLettered("unknown-reply-topic", withHeader(record(key, hi), "kafka_replyTopic", "llm.replies.no-such-topic-" + i));
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
