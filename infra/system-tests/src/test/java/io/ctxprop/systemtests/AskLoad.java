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

    /**
     * One request of a closed loop: when it was sent and when it ended, in {@link System#nanoTime()},
     * and its status (-1: no HTTP answer at all).
     */
    record Timed(long startedNanos, long endedNanos, int status, String body) {

        long millis() {
            return (endedNanos - startedNanos) / 1_000_000;
        }

        /** Whether the request was still waiting at some moment between {@code from} and {@code to}. */
        boolean overlaps(long from, long to) {
            return startedNanos <= to && endedNanos >= from;
        }
    }

    private final List<CompletableFuture<HttpResponse<String>>> pending;
    private final List<Timed> timed = new CopyOnWriteArrayList<>();
    private final boolean closedLoop;
    private volatile boolean stopped;

    private AskLoad(List<CompletableFuture<HttpResponse<String>>> pending, boolean closedLoop) {
        this.pending = pending;
        this.closedLoop = closedLoop;
    }

    /**
     * {@code clients} callers on virtual threads, each asking over Kafka again as soon as it has its
     * answer, until {@link #stop()}: load that goes on for as long as a scenario takes.
     */
    static AskLoad closedLoop(ServiceProcess application, int clients) {
        return closedLoop(application, clients, "kafka");
    }

    /** The same over {@code transport} ({@code http}, {@code kafka} or {@code both}), each request timed. */
    static AskLoad closedLoop(ServiceProcess application, int clients, String transport) {
        var load = new AskLoad(new CopyOnWriteArrayList<>(), true);
        for (int client = 0; client < clients; client++) {
            int id = client;
            Thread.ofVirtual().start(() -> {
                for (int i = 0; !load.stopped; i++) {
                    long started = System.nanoTime();
                    var response = HTTP.sendAsync(request(application, "client " + id + " request " + i, transport),
                            HttpResponse.BodyHandlers.ofString());
                    load.pending.add(response);
                    response.handle((answer, failure) -> load.timed.add(new Timed(started, System.nanoTime(),
                            answer == null ? -1 : answer.statusCode(), answer == null ? String.valueOf(failure) : answer.body()))).join();
                }
            });
        }
        return load;
    }

    /** The {@code percentile} (0-100) of the requests' durations, in ms; 0 for none. */
    static long percentileMillis(List<Timed> requests, double percentile) {
        long[] millis = requests.stream().mapToLong(Timed::millis).sorted().toArray();
        return millis.length == 0 ? 0 : millis[(int) Math.max(0, Math.min(millis.length - 1, Math.ceil(percentile / 100 * millis.length) - 1))];
    }

    /** Every request that has ended so far, timed. */
    List<Timed> timed() {
        return List.copyOf(timed);
    }

    void stop() {
        stopped = true;
    }

    /** Sends {@code requests} asks over Kafka at once, each with its own text. */
    static AskLoad overKafka(ServiceProcess application, int requests) {
        return new AskLoad(IntStream.range(0, requests)
                .mapToObj(i -> HTTP.sendAsync(request(application, "request " + i, "kafka"), HttpResponse.BodyHandlers.ofString()))
                .toList(), false);
    }

    private static HttpRequest request(ServiceProcess application, String text, String transport) {
        return HttpRequest.newBuilder(URI.create(application.baseUrl() + "/api/ask"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"" + text + "\",\"transport\":\"" + transport + "\"}")).build();
    }

    /** Requests sent so far. */
    int sent() {
        return pending.size();
    }

    void awaitAll(Duration atMost) {
        await("every request ended").atMost(atMost).until(() -> pending.stream().allMatch(CompletableFuture::isDone)
                && (!closedLoop || timed.size() == pending.size()));
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
