package io.ctxprop.systemtests;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Bare kafka-clients, no Spring and no OpenTelemetry: what a script or another team's service would use. */
final class KafkaClients {

    private KafkaClients() {
    }

    static void send(String brokers, ProducerRecord<String, byte[]> record) throws Exception {
        sendAll(brokers, List.of(record));
    }

    /** Sends the records in order and waits until the broker has all of them. */
    static void sendAll(String brokers, List<ProducerRecord<String, byte[]>> records) throws Exception {
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
    static List<ConsumerRecord<String, byte[]>> awaitRecords(String brokers, String topic, List<Predicate<ConsumerRecord<String, byte[]>>> wanted) {
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        wanted.forEach(predicate -> found.add(null));
        try (var consumer = new KafkaConsumer<String, byte[]>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ConsumerConfig.GROUP_ID_CONFIG, "system-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
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

    static String header(ConsumerRecord<String, byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), java.nio.charset.StandardCharsets.UTF_8);
    }
}
