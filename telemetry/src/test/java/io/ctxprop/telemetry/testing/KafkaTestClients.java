package io.ctxprop.telemetry.testing;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Bare kafka-clients, no Spring and no OpenTelemetry: what a script or another team's service would
 * use. For the services' own tests and the system tests alike.
 */
public final class KafkaTestClients {

    private KafkaTestClients() {
    }

    public static void send(String brokers, ProducerRecord<String, byte[]> record) throws Exception {
        sendAll(brokers, List.of(record));
    }

    /** Sends the records in order and waits until the broker has all of them. */
    public static void sendAll(String brokers, List<ProducerRecord<String, byte[]>> records) throws Exception {
        try (var producer = new KafkaProducer<String, byte[]>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            var sent = records.stream().map(producer::send).toList();
            for (var ack : sent) {
                ack.get();
            }
        }
    }

    /** Reads {@code topic} from its beginning until every predicate matched a record; returns the first match of each. */
    public static List<ConsumerRecord<String, byte[]>> awaitRecords(String brokers, String topic, List<Predicate<ConsumerRecord<String, byte[]>>> wanted) {
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        wanted.forEach(predicate -> found.add(null));
        try (var consumer = consumer(brokers)) {
            consumer.subscribe(List.of(topic));
            await(topic).atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO).until(() -> {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    for (int i = 0; i < wanted.size(); i++) {
                        if (found.get(i) == null && wanted.get(i).test(record)) {
                            found.set(i, record);
                        }
                    }
                }
                return found.stream().allMatch(java.util.Objects::nonNull);
            });
        }
        return found;
    }

    /** A consumer of a group of its own, reading from the beginning. */
    private static KafkaConsumer<String, byte[]> consumer(String brokers) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ConsumerConfig.GROUP_ID_CONFIG, "system-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
    }

    /** Every record of {@code topic} from its beginning, read until the end offsets seen at the start. */
    public static List<ConsumerRecord<String, byte[]>> readAll(String brokers, String topic) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (var consumer = consumer(brokers)) {
            var partitions = consumer.partitionsFor(topic).stream().map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            await(topic + " to its end").atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return partitions.stream().allMatch(partition -> consumer.position(partition) >= end.get(partition));
            });
        }
        return records;
    }

    /** The consumer group's committed offset of each partition of {@code topic} (absent: none committed). */
    public static Map<Integer, Long> committedOffsets(String brokers, String group, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers))) {
            Map<Integer, Long> committed = new TreeMap<>();
            admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().forEach((partition, offset) -> {
                if (partition.topic().equals(topic) && offset != null) {
                    committed.put(partition.partition(), offset.offset());
                }
            });
            return committed;
        }
    }

    /**
     * Waits (up to 30 s) until the group's committed offset of every partition of {@code topic} has
     * reached the partition's end as it is now: every record written so far has ended.
     */
    public static void awaitCommittedToTheEnd(String brokers, String group, String topic) throws Exception {
        awaitCommittedToTheEnd(brokers, group, topic, endOffsets(brokers, topic));
    }

    /** The same for one partition only. */
    public static void awaitCommittedToTheEnd(String brokers, String group, String topic, int partition) throws Exception {
        awaitCommittedToTheEnd(brokers, group, topic, Map.of(partition, endOffsets(brokers, topic).get(partition)));
    }

    private static void awaitCommittedToTheEnd(String brokers, String group, String topic, Map<Integer, Long> end) {
        await(group + "'s committed offsets on " + topic + " reach " + end).atMost(Duration.ofSeconds(30))
                .until(() -> committedOffsets(brokers, group, topic), committed -> end.entrySet().stream()
                        .allMatch(partition -> committed.getOrDefault(partition.getKey(), 0L) >= partition.getValue()));
    }

    /** The next offset to be written to each partition of {@code topic}. */
    public static Map<Integer, Long> endOffsets(String brokers, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers))) {
            int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int partition = 0; partition < partitions; partition++) {
                latest.put(new TopicPartition(topic, partition), OffsetSpec.latest());
            }
            Map<Integer, Long> end = new TreeMap<>();
            admin.listOffsets(latest).all().get().forEach((partition, info) -> end.put(partition.partition(), info.offset()));
            return end;
        }
    }

    /** Whether the topic exists, asked without creating it. */
    public static boolean topicExists(String brokers, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers))) {
            return admin.listTopics().names().get().contains(topic);
        }
    }

    /** How many headers of that name the record carries (not just whether {@code lastHeader} finds one). */
    public static int headerCount(ConsumerRecord<String, byte[]> record, String name) {
        int count = 0;
        for (var ignored : record.headers().headers(name)) {
            count++;
        }
        return count;
    }

    public static String header(ConsumerRecord<String, byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), java.nio.charset.StandardCharsets.UTF_8);
    }
}
