package io.ctxprop.systemtests;

import static io.ctxprop.systemtests.GatewayStatus.inFlight;
import static io.ctxprop.systemtests.Traces.askOk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A rolling restart: the gateway gets SIGTERM with Kafka requests in flight. It stops fetching,
 * answers what it holds, commits, and only then stops its consumer; the gateway started after it
 * answers none of those requests again. Replies are counted per correlation id on the reply topic,
 * model calls by each gateway's own stub model server.
 */
class GracefulShutdownIT {

    @Test
    void aGatewayStoppedWithRequestsInFlightAnswersEachOnceAndItsSuccessorAnswersNoneAgain() throws Exception {
        int requests = ReliabilityReport.count(500, 64);
        try (var stack = new Stack(); var slowModel = new ModelFaultStub(Duration.ZERO, Duration.ofSeconds(3));
                var quickModel = new ModelFaultStub(Duration.ZERO)) {
            String brokers = stack.broker.getBrokersAsString();
            // No retries: every model call the stubs count is one request's answer.
            var stopping = stack.gateway("gateway-sigterm", Map.of("OPENAI_BASE_URL", slowModel.baseUrl(), "OPENAI_API_KEY", "sk-restart-test",
                    "OPENAI_MAX_RETRIES", "0", "LLM_KAFKA_GROUP_ID", "restarting-gateways", "LLM_KAFKA_REQUESTS", "llm.requests.restart",
                    "LLM_KAFKA_MAX_IN_FLIGHT", Integer.toString(Math.max(requests, 256))));
            var application = stack.application("application-restart", stopping, Map.of("REPLY_TIMEOUT", "120s",
                    "LLM_KAFKA_REQUESTS", "llm.requests.restart", "LLM_KAFKA_REPLIES", "llm.replies.restart"));
            assertThat(askOk(application, "{\"text\":\"warm up\",\"transport\":\"kafka\"}")).isNotBlank();

            var load = AskLoad.overKafka(application, requests);
            int atLeast = Math.min(requests, 60);
            await(atLeast + " requests in flight at the gateway").atMost(Duration.ofSeconds(60)).until(() -> inFlight(stopping) >= atLeast);
            int inFlightAtSigterm = inFlight(stopping);
            long started = System.nanoTime();
            int exitCode = stopping.terminate();
            Duration stopTook = Duration.ofNanos(System.nanoTime() - started);
            var successor = stack.track(stopping.startAnother("gateway-after-sigterm", Map.of("OPENAI_BASE_URL", quickModel.baseUrl())));

            load.awaitAll(Duration.ofSeconds(180));
            var replies = AskLoad.repliesPerCorrelationId(brokers, "llm.replies.restart");
            long answeredTwice = replies.values().stream().filter(count -> count > 1).count();
            long replyRecords = replies.values().stream().mapToLong(Long::longValue).sum();
            ReliabilityReport.record("gateway stopped (SIGTERM) with Kafka requests in flight, then replaced (rolling restart)",
                    "sent", requests, "in flight at SIGTERM", inFlightAtSigterm, "answered", load.withStatus(200),
                    "answered by the successor (not yet taken at SIGTERM)", quickModel.answered(),
                    "answered a second time (replies per correlation id > 1)", answeredTwice,
                    "stop took", stopTook.toMillis() + " ms", "exit code", exitCode);

            assertThat(load.responses()).allSatisfy(response -> assertThat(response.statusCode()).as(response.body()).isEqualTo(200));
            assertThat(answeredTwice).as("requests answered a second time").isZero();
            assertThat(replyRecords).as("one reply per request (and the warm-up)").isEqualTo(requests + 1);
            assertThat(stopping.log()).contains("every Kafka request in flight was answered");
            // the successor answers only what the stopping gateway had not taken: one model call per request
            assertThat(slowModel.answered() + quickModel.answered()).as("model calls, both gateways").isEqualTo(requests + 1);
        }
    }
}
