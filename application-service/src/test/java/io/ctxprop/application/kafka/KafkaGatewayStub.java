package io.ctxprop.application.kafka;


import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
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
        return nextRecord(request -> request.value().contains(text), Duration.ofSeconds(30)).orElseThrow();
    }

    /** The next record on {@code llm.requests} that matches, if one comes within {@code wait}; others stay for later calls. */
    public Optional<ConsumerRecord<String, String>> nextRecord(Predicate<ConsumerRecord<String, String>> wanted, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        do {
            requests.poll(Duration.ofMillis(50)).forEach(unclaimed::add);
            var match = unclaimed.stream().filter(wanted).findFirst();
            if (match.isPresent()) {
                unclaimed.remove(match.get());
                return match;
            }
        } while (System.nanoTime() < deadline);
        return Optional.empty();
    }

    /** A record of a streamed answer: a chunk ({@code last} false, seq = its number) or the last record (seq = the chunk count). */
    public void streamRecord(ConsumerRecord<String, String> request, String value, String seq, boolean last)
            throws ExecutionException, InterruptedException {
        var headers = new java.util.LinkedHashMap<String, String>();
        if (seq != null) {
            headers.put("ctxprop-chunk-seq", seq);
        }
        if (last) {
            headers.put("ctxprop-last", "true");
        }
        reply(request, value, headers);
    }

    public void chunk(ConsumerRecord<String, String> request, int seq, String text) throws ExecutionException, InterruptedException {
        streamRecord(request, "{\"chunk\":\"" + text + "\",\"seq\":" + seq + "}", Integer.toString(seq), false);
    }

    public void last(ConsumerRecord<String, String> request, int chunks, String value) throws ExecutionException, InterruptedException {
        streamRecord(request, value, Integer.toString(chunks), true);
    }

    /** Replies to {@code request} with {@code value}, once the broker has it. */
    public void reply(ConsumerRecord<String, String> request, String value) throws ExecutionException, InterruptedException {
        reply(request, value, Map.of());
    }

    private void reply(ConsumerRecord<String, String> request, String value, Map<String, String> extraHeaders)
            throws ExecutionException, InterruptedException {
        var reply = new ProducerRecord<>("llm.replies", request.key(), value);
        extraHeaders.forEach((name, header) -> reply.headers().add(name, header.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
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
