package io.ctxprop.systemtests;

import static io.ctxprop.systemtests.GatewayStatus.inFlight;
import static io.ctxprop.systemtests.GatewayStatus.recentlyAnswered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ctxprop.systemtests.CommittedOffsetSampler.Read;
import io.ctxprop.telemetry.testing.KafkaTestClients;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A second gateway joins the group and then leaves it while requests wait on a slow model (16
 * callers asking without pause, at least 200 requests in all): every
 * request is answered, none is lost, and the group's committed offsets, sampled all along, never
 * go backwards (a late acknowledgment from a partition's former owner must not move its commit).
 */
class RebalanceIT {

    static final String GROUP = "rebalancing-gateways";
    static final String REQUESTS = "llm.requests.rebalance";

    @Test
    void aGatewayJoiningAndLeavingWithRequestsInFlightLosesNoneAndCommitsNeverGoBack() throws Exception {
        int requests = ReliabilityReport.count(1000, 200);
        try (var stack = new Stack()) {
            String brokers = stack.broker.getBrokersAsString();
            // few slots, so a backlog waits in the topic while the group changes
            Map<String, String> gatewayEnv = Map.of("OFFLINE_MODEL_LATENCY", "1s", "LLM_KAFKA_GROUP_ID", GROUP,
                    "LLM_KAFKA_REQUESTS", REQUESTS, "LLM_KAFKA_MAX_IN_FLIGHT", "8");
            var first = stack.gateway("gateway-staying", gatewayEnv);
            var application = stack.application("application-rebalance", first, Map.of("REPLY_TIMEOUT", "300s",
                    "LLM_KAFKA_REQUESTS", REQUESTS, "LLM_KAFKA_REPLIES", "llm.replies.rebalance"));

            var committed = new CommittedOffsetSampler(brokers, GROUP, REQUESTS, Read.STABLE);

            // callers keep asking for as long as the group changes, so it always changes with requests in flight
            var load = AskLoad.closedLoop(application, 16);
            await("requests in flight at the first gateway").atMost(Duration.ofSeconds(60)).until(() -> inFlight(first) >= 1);
            var joining = stack.gateway("gateway-joining-then-leaving", gatewayEnv);
            await("the second gateway answers its share").atMost(Duration.ofSeconds(120)).until(() -> recentlyAnswered(joining) > 0);
            await("requests in flight at the second gateway").atMost(Duration.ofSeconds(60)).until(() -> inFlight(joining) >= 1);
            joining.terminate();
            await(requests + " requests sent").atMost(Duration.ofSeconds(600)).until(() -> load.sent() >= requests);
            load.stop();

            load.awaitAll(Duration.ofSeconds(300));
            committed.close();
            var replies = AskLoad.repliesPerCorrelationId(brokers, "llm.replies.rebalance");
            long answered = load.withStatus(200);
            long duplicates = replies.values().stream().mapToLong(count -> count - 1).sum();
            ReliabilityReport.record("a second gateway joins and leaves the group while Kafka requests wait on a 1 s model",
                    "sent", load.sent(), "answered", answered, "lost", load.sent() - answered,
                    "extra replies (at-least-once redelivery, none reaching a caller)", duplicates,
                    "committed-offset samples", committed.samples(), "went backwards", committed.wentBack().size());

            assertThat(load.responses()).allSatisfy(response -> assertThat(response.statusCode()).as(response.body()).isEqualTo(200));
            assertThat(committed.samples()).as("committed offsets were sampled through the run").isGreaterThan(10);
            assertThat(committed.wentBack()).as("committed offsets that went backwards").isEmpty();
            KafkaTestClients.awaitCommittedToTheEnd(brokers, GROUP, REQUESTS);
        }
    }
}
