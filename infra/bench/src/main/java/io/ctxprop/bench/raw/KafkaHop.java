package io.ctxprop.bench.raw;

import io.ctxprop.bench.http.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * The Kafka hop, request and reply as Spring's ReplyingKafkaTemplate does it, with bare
 * kafka-clients: a request record keyed and headed with a fresh correlation id, and the reply that
 * carries it back. One producer for every caller; one consumer, assigned every reply partition
 * (no group), completes the waiting futures.
 */
final class KafkaHop implements Hop, AutoCloseable {

    private final Duration timeout;
    private final KafkaProducer<String, String> producer;
    private final KafkaConsumer<String, String> consumer;
    private final Map<String, CompletableFuture<String>> waiting = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread poller;

    KafkaHop(String bootstrapServers, Duration timeout) {
        this.timeout = timeout;
        this.producer = new KafkaProducer<>(RawKafka.producer(bootstrapServers));
        this.consumer = new KafkaConsumer<>(RawKafka.consumer(bootstrapServers, null));
        var partitions = consumer.partitionsFor(RawKafka.REPLIES).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        // Resolves the end offsets now: a reply arriving before the first poll is not skipped.
        partitions.forEach(consumer::position);
        this.poller = Thread.ofPlatform().name("raw-replies").start(this::pollReplies);
    }

    @Override
    public Reply ask(String text) throws Exception {
        String correlation = UUID.randomUUID().toString();
        var reply = new CompletableFuture<String>();
        waiting.put(correlation, reply);
        try {
            var record = new ProducerRecord<>(RawKafka.REQUESTS, correlation, "{\"text\":" + Json.quote(text) + "}");
            record.headers().add(RawKafka.CORRELATION_HEADER, correlation.getBytes(StandardCharsets.UTF_8));
            producer.send(record, (sent, failed) -> {
                if (failed != null) {
                    reply.completeExceptionally(failed);
                }
            });
            return Reply.parse(reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } finally {
            waiting.remove(correlation);
        }
    }

    private void pollReplies() {
        try {
            while (running.get()) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                    var header = record.headers().lastHeader(RawKafka.CORRELATION_HEADER);
                    if (header != null) {
                        var reply = waiting.get(new String(header.value(), StandardCharsets.UTF_8));
                        if (reply != null) {
                            reply.complete(record.value());
                        }
                    }
                }
            }
        } catch (WakeupException closing) {
            // close() woke the poll.
        } finally {
            consumer.close();
        }
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        consumer.wakeup();
        poller.join();
        producer.close();
    }
}
