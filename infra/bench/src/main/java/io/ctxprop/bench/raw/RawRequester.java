package io.ctxprop.bench.raw;

import io.ctxprop.bench.load.Call;
import io.ctxprop.bench.load.Outcome;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The baseline's requesting side: sends a request record with a correlation id and waits for the
 * reply that carries it back, as Spring's ReplyingKafkaTemplate does, with bare kafka-clients. One
 * producer for all clients; one consumer on every reply partition completes the waiting futures.
 */
public final class RawRequester implements Call, AutoCloseable {

    private final String payload;
    private final Duration timeout;
    private final KafkaProducer<String, String> producer;
    private final KafkaConsumer<String, String> consumer;
    private final Map<String, CompletableFuture<String>> waiting = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread poller;

    public RawRequester(String bootstrapServers, String payload, Duration timeout) {
        this.payload = payload;
        this.timeout = timeout;
        this.producer = new KafkaProducer<>(RawKafka.producer(bootstrapServers));
        this.consumer = new KafkaConsumer<>(RawKafka.consumer(bootstrapServers, null));
        var partitions = consumer.partitionsFor(RawKafka.REPLIES).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        this.poller = Thread.ofPlatform().name("raw-replies").start(this::pollReplies);
    }

    @Override
    public Outcome call() throws Exception {
        String correlation = UUID.randomUUID().toString();
        var reply = new CompletableFuture<String>();
        waiting.put(correlation, reply);
        try {
            var record = new ProducerRecord<>(RawKafka.REQUESTS, correlation, payload);
            record.headers().add(RawKafka.CORRELATION_HEADER, correlation.getBytes(StandardCharsets.UTF_8));
            producer.send(record);
            String answer = reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return answer.equals(RawResponder.answer(payload)) ? Outcome.OK : Outcome.ERROR;
        } catch (TimeoutException late) {
            return Outcome.TIMEOUT;
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
        } catch (org.apache.kafka.common.errors.WakeupException closing) {
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
