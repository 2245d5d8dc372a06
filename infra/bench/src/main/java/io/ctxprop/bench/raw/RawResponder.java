package io.ctxprop.bench.raw;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;

/**
 * The baseline's other side, in a process of its own as the gateway is: consumes the request topic
 * and answers every record on the reply topic with the same key and correlation header, in the
 * gateway's reply shape. No Spring, no tracing, no model.
 */
public final class RawResponder implements AutoCloseable {

    private final KafkaConsumer<String, String> consumer;
    private final KafkaProducer<String, String> producer;
    private final AtomicBoolean running = new AtomicBoolean(true);

    public RawResponder(String bootstrapServers) {
        consumer = new KafkaConsumer<>(RawKafka.consumer(bootstrapServers, "bench-raw-responder"));
        producer = new KafkaProducer<>(RawKafka.producer(bootstrapServers));
    }

    /** Arguments: bootstrap servers, and a file to create once the consumer has its partitions. */
    public static void main(String[] args) throws Exception {
        var responder = new RawResponder(args[0]);
        Runtime.getRuntime().addShutdownHook(new Thread(responder::close));
        responder.serve(Path.of(args[1]));
    }

    /** Answers until {@link #close()}; creates {@code readyMarker} once it has its partitions. */
    public void serve(Path readyMarker) throws Exception {
        try {
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
        } catch (WakeupException stopping) {
            // close() woke the poll.
        } finally {
            consumer.close();
            producer.close();
        }
    }

    @Override
    public void close() {
        running.set(false);
        consumer.wakeup();
    }

    /** The gateway's reply shape around the request's JSON, so both sides carry the same bytes. */
    static String answer(String request) {
        return "{\"response\":" + request + ",\"model\":\"raw\"}";
    }
}
