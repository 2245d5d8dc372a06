package io.ctxprop.bench.raw;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ctxprop.bench.http.JdkHttp;
import io.ctxprop.bench.http.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;

/**
 * The baseline's gateway, in a process of its own as the gateway is: takes a prompt from the request
 * topic or from {@code POST /process}, calls the model with the JDK's HttpClient and answers in the
 * gateway's reply shape (on the reply topic with the request's key and correlation header, or as the
 * HTTP response). No Spring, no tracing; every record and exchange on a virtual thread of its own.
 */
public final class RawGateway implements AutoCloseable {

    static final String GROUP = "bench-raw-gateway";

    private final int port;
    private final ModelClient model;
    private final KafkaConsumer<String, String> consumer;
    private final KafkaProducer<String, String> producer;
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private volatile HttpServer server;

    /** @param port the port of {@code POST /process}, 0 for any; see {@link #port()} once ready */
    public RawGateway(int port, String bootstrapServers, String modelBaseUrl) {
        this.port = port;
        this.model = new ModelClient(JdkHttp.client(), modelBaseUrl);
        this.consumer = new KafkaConsumer<>(RawKafka.consumer(bootstrapServers, GROUP));
        this.producer = new KafkaProducer<>(RawKafka.producer(bootstrapServers));
    }

    /** Arguments: port, ready-marker file, bootstrap servers, the model's base URL ({@code http://host:port/v1}). */
    public static void main(String[] args) throws Exception {
        RawKafka.createTopics(args[2]);
        var gateway = new RawGateway(Integer.parseInt(args[0]), args[2], args[3]);
        Thread serving = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            gateway.close();
            Stopping.await(serving);
        }));
        gateway.serve(Path.of(args[1]));
    }

    /**
     * Answers until {@link #close()}; creates {@code readyMarker} once the server listens and the
     * consumer has its partitions.
     */
    public void serve(Path readyMarker) throws IOException {
        try {
            server = JdkHttp.serve(port, Map.of("/process", this::process));
            consumer.subscribe(List.of(RawKafka.REQUESTS));
            while (consumer.assignment().isEmpty()) {
                consumer.poll(Duration.ofMillis(100));
            }
            Files.writeString(readyMarker, "ready");
            while (running.get()) {
                for (ConsumerRecord<String, String> request : consumer.poll(Duration.ofMillis(100))) {
                    workers.execute(() -> answer(request));
                }
            }
        } catch (WakeupException stopping) {
            // close() woke the poll.
        } finally {
            if (server != null) {
                server.stop(0);
            }
            consumer.close();
            workers.shutdownNow();
            producer.close();
        }
    }

    /** The port of {@code POST /process}, once {@link #serve} has started the server. */
    public int port() {
        return server.getAddress().getPort();
    }

    private void answer(ConsumerRecord<String, String> request) {
        String reply;
        try {
            String text = Json.text(Json.read(request.value()), "text");
            reply = text == null ? Reply.failure("the request has no text") : model.ask(text).json();
        } catch (InterruptedException stopping) {
            return;
        } catch (Exception failed) {
            reply = Reply.failure(failed.getMessage());
        }
        var record = new ProducerRecord<>(RawKafka.REPLIES, request.key(), reply);
        var correlation = request.headers().lastHeader(RawKafka.CORRELATION_HEADER);
        if (correlation != null) {
            record.headers().add(correlation);
        }
        producer.send(record);
    }

    private void process(HttpExchange exchange) throws IOException {
        if (!JdkHttp.post(exchange)) {
            return;
        }
        String text;
        try {
            text = Json.text(Json.read(JdkHttp.body(exchange)), "text");
        } catch (RuntimeException notJson) {
            text = null;
        }
        if (text == null) {
            JdkHttp.json(exchange, 400, Reply.failure("the body has no text"));
            return;
        }
        try {
            JdkHttp.json(exchange, 200, model.ask(text).json());
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
            JdkHttp.json(exchange, 503, Reply.failure("stopping"));
        } catch (IOException failed) {
            JdkHttp.json(exchange, 502, Reply.failure(failed.getMessage()));
        }
    }

    @Override
    public void close() {
        running.set(false);
        consumer.wakeup();
    }
}
