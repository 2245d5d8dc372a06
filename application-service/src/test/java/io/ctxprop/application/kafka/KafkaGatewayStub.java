package io.ctxprop.application.kafka;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The gateway's side of the Kafka hop, played by a test on a real broker: reads the requests on
 * {@code llm.requests} (from the earliest, in a group of its own) and writes whatever reply the test
 * chooses to {@code llm.replies}, with the request's correlation id and trace context.
 */
public final class KafkaGatewayStub implements AutoCloseable {

    private final KafkaConsumer<String, String> requests;
    private final KafkaProducer<String, String> replies;
    private final List<ConsumerRecord<String, String>> unclaimed = new ArrayList<>();

    public KafkaGatewayStub(String brokers) {
        requests = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ConsumerConfig.GROUP_ID_CONFIG, "test-gateway-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class));
        requests.subscribe(List.of("llm.requests"));
        replies = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class));
    }

    /** The next request whose value contains {@code text}; requests of other tests are passed over. */
    public ConsumerRecord<String, String> nextRequest(String text) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> {
            requests.poll(Duration.ofMillis(100)).forEach(unclaimed::add);
            var match = unclaimed.stream().filter(request -> request.value().contains(text)).findFirst();
            match.ifPresent(unclaimed::remove);
            return match;
        }, java.util.Optional::isPresent).orElseThrow();
    }

    /** Replies to {@code request} with {@code value}, once the broker has it. */
    public void reply(ConsumerRecord<String, String> request, String value) throws ExecutionException, InterruptedException {
        var reply = new ProducerRecord<>("llm.replies", request.key(), value);
        reply.headers().add("kafka_correlationId", request.headers().lastHeader("kafka_correlationId").value());
        // as the gateway does, the reply continues the request's trace
        int traceparents = 0;
        for (var traceparent : request.headers().headers("traceparent")) {
            reply.headers().add("traceparent", traceparent.value());
            traceparents++;
        }
        if (traceparents > 1) {
            throw new IllegalStateException("The application sent a request with " + traceparents + " traceparent headers");
        }
        replies.send(reply).get();
    }

    @Override
    public void close() {
        requests.close();
        replies.close();
    }
}
