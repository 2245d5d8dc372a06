package io.ctxprop.bench.raw;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The baseline's other side, in a process of its own as the gateway is: consumes the request topic
 * and answers every record on the reply topic with the same key and correlation header, in the
 * gateway's reply shape. No Spring, no tracing, no model.
 * Arguments: bootstrap servers, and a file to create once the consumer has its partitions.
 */
public final class RawResponder {

    private RawResponder() {
    }

    public static void main(String[] args) throws Exception {
        String bootstrapServers = args[0];
        Path readyMarker = Path.of(args[1]);
        var running = new java.util.concurrent.atomic.AtomicBoolean(true);
        try (var consumer = new KafkaConsumer<String, String>(RawKafka.consumer(bootstrapServers, "bench-raw-responder"));
                var producer = new KafkaProducer<String, String>(RawKafka.producer(bootstrapServers))) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                running.set(false);
                consumer.wakeup();
            }));
            consumer.subscribe(List.of(RawKafka.REQUESTS));
            while (consumer.assignment().isEmpty()) {
                consumer.poll(Duration.ofMillis(100));
            }
            Files.writeString(readyMarker, "ready");
            while (running.get()) {
                for (ConsumerRecord<String, String> request : consumer.poll(Duration.ofMillis(100))) {
                    var reply = new ProducerRecord<>(RawKafka.REPLIES, request.key(), answer(request.value()));
                    var correlation = request.headers().lastHeader(RawKafka.CORRELATION_HEADER);
                    if (correlation != null) {
                        reply.headers().add(correlation);
                    }
                    producer.send(reply);
                }
            }
        } catch (org.apache.kafka.common.errors.WakeupException stopping) {
            // SIGTERM: the shutdown hook woke the poll.
        }
    }

    /** The gateway's reply shape around the request's JSON, so both sides carry the same bytes. */
    static String answer(String request) {
        return "{\"response\":" + request + ",\"model\":\"raw\"}";
    }
}
