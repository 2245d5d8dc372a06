package io.ctxprop.bench.raw;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ctxprop.bench.http.Json;
import io.ctxprop.bench.load.Outcome;
import io.ctxprop.bench.model.StandInAnswer;
import io.ctxprop.bench.model.StandInModel;
import io.ctxprop.bench.process.Ports;
import io.ctxprop.bench.stack.AskCall;
import io.ctxprop.bench.stack.AskPath;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import tools.jackson.databind.JsonNode;

/**
 * The baseline goes front -> request topic or POST /process -> raw gateway -> stand-in model -> back
 * to the waiting request, on a real broker, and answers as the application does.
 */
class RawRoundTripTest {

    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(20);

    private static EmbeddedKafkaKraftBroker broker;
    private static StandInModel model;
    private static final HttpClient HTTP = AskCall.client();

    @BeforeAll
    static void start() throws Exception {
        broker = new EmbeddedKafkaKraftBroker(1, RawKafka.PARTITIONS);
        broker.afterPropertiesSet();
        RawKafka.createTopics(broker.getBrokersAsString());
        model = StandInModel.start(0, Duration.ZERO, Duration.ZERO);
    }

    @AfterAll
    static void stop() {
        model.close();
        broker.destroy();
    }

    @ParameterizedTest
    @EnumSource(value = AskPath.class, names = {"KAFKA", "HTTP"})
    void everyRequestGetsTheModelsAnswer(AskPath path, @TempDir Path work) throws Exception {
        try (var pool = Executors.newVirtualThreadPerTaskExecutor();
                var gateway = new RawGateway(0, broker.getBrokersAsString(), model.baseUrl())) {
            awaitReady(gateway, pool, work.resolve("ready"));
            try (var front = new RawFront(0, broker.getBrokersAsString(), processUrl(gateway), REPLY_TIMEOUT)) {
                var answers = new ArrayList<Future<HttpResponse<String>>>();
                for (int i = 0; i < 50; i++) {
                    String text = "request " + i + " over " + path.transport();
                    answers.add(pool.submit(() -> ask(front, text, path.transport())));
                }
                for (int i = 0; i < answers.size(); i++) {
                    HttpResponse<String> response = answers.get(i).get(30, TimeUnit.SECONDS);
                    assertThat(response.statusCode()).isEqualTo(200);
                    JsonNode answer = Json.read(response.body()).path("answers").path(0);
                    assertThat(Json.text(answer, "transport")).isEqualTo(path.transport());
                    assertThat(Json.text(answer, "text"))
                            .isEqualTo(StandInAnswer.to("request " + i + " over " + path.transport()).text());
                    assertThat(Json.text(answer, "model")).isEqualTo(ModelClient.MODEL);
                }
            }
        }
    }

    @Test
    void theLoadGeneratorsCallDrivesTheFrontAsItDrivesTheApplication(@TempDir Path work) throws Exception {
        try (var pool = Executors.newVirtualThreadPerTaskExecutor();
                var gateway = new RawGateway(0, broker.getBrokersAsString(), model.baseUrl())) {
            awaitReady(gateway, pool, work.resolve("ready"));
            try (var front = new RawFront(0, broker.getBrokersAsString(), processUrl(gateway), REPLY_TIMEOUT)) {
                for (AskPath path : AskPath.values()) {
                    var call = new AskCall(HTTP, "http://127.0.0.1:" + front.port(), path, "a \\\"quoted\\\" prompt",
                            REPLY_TIMEOUT);
                    call.prime();
                    assertThat(call.call()).as(path.transport()).isEqualTo(Outcome.OK);
                    assertThat(call.traceIds()).as("nothing is traced").isEmpty();
                }
            }
        }
    }

    @Test
    void withNobodyAnsweringAKafkaRequestTimesOut() throws Exception {
        try (var front = new RawFront(0, broker.getBrokersAsString(), "http://127.0.0.1:1/process", Duration.ofMillis(500))) {
            HttpResponse<String> response = ask(front, "unanswered", "kafka");
            assertThat(response.statusCode()).isEqualTo(504);
            assertThat(new AskCall(HTTP, "http://127.0.0.1:" + front.port(), AskPath.KAFKA, "unanswered", REPLY_TIMEOUT)
                    .call()).isEqualTo(Outcome.TIMEOUT);
        }
    }

    @Test
    void aGatewayThatCannotBeReachedIsABadGateway() throws Exception {
        try (var front = new RawFront(0, broker.getBrokersAsString(), "http://127.0.0.1:" + Ports.free() + "/process",
                REPLY_TIMEOUT)) {
            assertThat(ask(front, "nowhere", "http").statusCode()).isEqualTo(502);
            assertThat(ask(front, "nowhere", "pigeon").statusCode()).isEqualTo(400);
        }
    }

    private static void awaitReady(RawGateway gateway, ExecutorService pool, Path ready) {
        Future<?> serving = pool.submit(() -> {
            gateway.serve(ready);
            return null;
        });
        await("the raw gateway has its partitions").atMost(Duration.ofSeconds(60))
                .until(() -> Files.exists(ready) || serving.isDone());
        assertThat(serving).isNotDone();
    }

    private static String processUrl(RawGateway gateway) {
        return "http://127.0.0.1:" + gateway.port() + "/process";
    }

    private static HttpResponse<String> ask(RawFront front, String text, String transport) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + front.port() + "/api/ask"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"text\":" + Json.quote(text) + ",\"transport\":\"" + transport + "\"}"))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
