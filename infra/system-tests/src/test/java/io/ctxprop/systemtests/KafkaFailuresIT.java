package io.ctxprop.systemtests;

import static io.ctxprop.systemtests.GatewayStatus.inFlight;
import static io.ctxprop.systemtests.GatewayStatus.recentlyAnswered;
import static io.ctxprop.systemtests.Traces.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What a caller sees when the gateway is missing, slow, or dies with requests in flight. */
class KafkaFailuresIT {

    static Stack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = new Stack();
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    @Test
    void withNoGatewayTheCallerGetsA504InTheConfiguredTimeWithTheTraceId() throws Exception {
        var noGateway = stack.gateway("gateway-for-timeout-test", Map.of("LLM_KAFKA_GROUP_ID", "nobody-reads-this"));
        var application = stack.application("application-timeout", noGateway,
                Map.of("REPLY_TIMEOUT", "2s", "LLM_KAFKA_REQUESTS", "llm.requests.unserved"));

        long started = System.nanoTime();
        var response = ask(application, "{\"text\":\"anyone there?\",\"transport\":\"kafka\"}");
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(504);
        assertThat(response.body()).contains("\"title\":\"Gateway timeout\"").contains("within 2000 ms");
        assertThat(traceIdOf(response.body())).isNotBlank();
        assertThat(took).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(10));
    }

    @Test
    void aReplyAfterTheTimeoutIsLoggedWithItsTraceIdAndCorrelationId() throws Exception {
        var slowGateway = stack.gateway("gateway-slow", Map.of("OFFLINE_MODEL_LATENCY", "3s", "LLM_KAFKA_GROUP_ID", "slow-gateways",
                "LLM_KAFKA_REQUESTS", "llm.requests.slow"));
        var application = stack.application("application-impatient", slowGateway,
                Map.of("REPLY_TIMEOUT", "1s", "LLM_KAFKA_REQUESTS", "llm.requests.slow"));

        var response = ask(application, "{\"text\":\"take your time\",\"transport\":\"kafka\"}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(504);
        String traceId = traceIdOf(response.body());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(application.log())
                .containsPattern("Late reply dropped: correlation id [0-9a-f-]{36}, trace id " + traceId));
        assertThat(application.log()).as("Spring Kafka's own timeout line names the record, not its value")
                .contains("Reply timed out").doesNotContain("take your time");
    }

    @Test
    void aGatewayKilledWithRequestsInFlightLosesNoneOfThem() throws Exception {
        int requests = ReliabilityReport.count(1000, 8);
        var dying = stack.gateway("gateway-dying", Map.of("OFFLINE_MODEL_LATENCY", requests > 100 ? "2s" : "5s",
                "LLM_KAFKA_GROUP_ID", "dying-gateways", "LLM_KAFKA_REQUESTS", "llm.requests.crash",
                "LLM_KAFKA_MAX_IN_FLIGHT", Integer.toString(Math.max(requests, 256))));
        var application = stack.application("application-patient", dying,
                Map.of("REPLY_TIMEOUT", "240s", "LLM_KAFKA_REQUESTS", "llm.requests.crash"));

        assertThat(askOk(application, "{\"text\":\"warm up\",\"transport\":\"kafka\"}")).isNotBlank();

        List<CompletableFuture<HttpResponse<String>>> pending = IntStream.range(0, requests)
                .mapToObj(i -> HTTP.sendAsync(HttpRequest.newBuilder(URI.create(application.baseUrl() + "/api/ask"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"request " + i + "\",\"transport\":\"kafka\"}")).build(),
                        HttpResponse.BodyHandlers.ofString()))
                .toList();
        // killed while it holds requests it has taken but not answered (their offsets are not committed)
        await("requests in flight at the gateway").atMost(Duration.ofSeconds(60)).until(() -> inFlight(dying) >= 1);
        int inFlightWhenKilled = inFlight(dying);
        dying.kill();
        var replacement = stack.track(dying.startAnother("gateway-replacement", Map.of("OFFLINE_MODEL_LATENCY", "0ms")));

        await("every request answered").atMost(Duration.ofSeconds(240)).until(() -> pending.stream().allMatch(CompletableFuture::isDone));
        long answered = pending.stream().filter(response -> !response.isCompletedExceptionally() && response.join().statusCode() == 200).count();
        long timedOut = pending.stream().filter(response -> !response.isCompletedExceptionally() && response.join().statusCode() == 504).count();
        long failedClearly = pending.stream().filter(response -> !response.isCompletedExceptionally() && response.join().statusCode() != 200).count();
        long duplicatesDropped = application.log().lines().filter(line -> line.contains("Duplicate reply dropped")).count();
        ReliabilityReport.record("gateway killed (SIGKILL) with Kafka requests in flight, then replaced",
                "sent", requests, "in flight at the gateway when killed", inFlightWhenKilled, "answered", answered, "failed with a clear error", failedClearly, "of which 504", timedOut,
                "lost", requests - answered - failedClearly,
                "duplicate replies dropped by the application", duplicatesDropped,
                "answers reaching the callers beyond one each", pending.stream().filter(CompletableFuture::isDone).count() - requests);
        for (var response : pending) {
            assertThat(response.join().statusCode()).as(response.join().body()).isEqualTo(200);
        }
        assertThat(recentlyAnswered(replacement)).as("requests the replacement answered").isPositive();
    }
}
