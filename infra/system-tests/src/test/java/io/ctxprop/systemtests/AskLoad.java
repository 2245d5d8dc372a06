package io.ctxprop.systemtests;

import static io.ctxprop.systemtests.Traces.HTTP;
import static org.awaitility.Awaitility.await;

import io.ctxprop.telemetry.testing.KafkaTestClients;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** Many Kafka requests at once through the application, and what became of them. */
final class AskLoad {

    private final List<CompletableFuture<HttpResponse<String>>> pending;
    private volatile boolean stopped;

    private AskLoad(List<CompletableFuture<HttpResponse<String>>> pending) {
        this.pending = pending;
    }

    /**
     * {@code clients} callers on virtual threads, each asking over Kafka again as soon as it has its
     * answer, until {@link #stop()}: load that goes on for as long as a scenario takes.
     */
    static AskLoad closedLoop(ServiceProcess application, int clients) {
        var load = new AskLoad(new CopyOnWriteArrayList<>());
        for (int client = 0; client < clients; client++) {
            int id = client;
            Thread.ofVirtual().start(() -> {
                for (int i = 0; !load.stopped; i++) {
                    var response = HTTP.sendAsync(request(application, "client " + id + " request " + i), HttpResponse.BodyHandlers.ofString());
                    load.pending.add(response);
                    response.exceptionally(failure -> null).join();
                }
            });
        }
        return load;
    }

    void stop() {
        stopped = true;
    }

    /** Sends {@code requests} asks over Kafka at once, each with its own text. */
    static AskLoad overKafka(ServiceProcess application, int requests) {
        return new AskLoad(IntStream.range(0, requests)
                .mapToObj(i -> HTTP.sendAsync(request(application, "request " + i), HttpResponse.BodyHandlers.ofString()))
                .toList());
    }

    private static HttpRequest request(ServiceProcess application, String text) {
        return HttpRequest.newBuilder(URI.create(application.baseUrl() + "/api/ask"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"" + text + "\",\"transport\":\"kafka\"}")).build();
    }

    /** Requests sent so far. */
    int sent() {
        return pending.size();
    }

    void awaitAll(Duration atMost) {
        await("every request ended").atMost(atMost).until(() -> pending.stream().allMatch(CompletableFuture::isDone));
    }

    long withStatus(int status) {
        return pending.stream().filter(response -> !response.isCompletedExceptionally() && response.join().statusCode() == status).count();
    }

    List<HttpResponse<String>> responses() {
        return pending.stream().map(CompletableFuture::join).toList();
    }

    /** How many replies the gateways wrote for each correlation id, read from the whole reply topic. */
    static Map<String, Long> repliesPerCorrelationId(String brokers, String replyTopic) {
        return KafkaTestClients.readAll(brokers, replyTopic).stream()
                .map(record -> KafkaTestClients.header(record, "kafka_correlationId"))
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }
}
