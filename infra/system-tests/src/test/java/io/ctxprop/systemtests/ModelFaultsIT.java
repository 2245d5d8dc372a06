package io.ctxprop.systemtests;

import static io.ctxprop.systemtests.Traces.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ctxprop.telemetry.testing.ReceivedSpans.ReceivedSpan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.Test;

/**
 * A misbehaving model server under load, over both transports: rate limits are retried, every other
 * fault reaches the caller within its deadline as a 502 or 504 with the trace id, the spans of both
 * services carry ERROR status and the exception, and no thread or file descriptor leaks.
 */
class ModelFaultsIT {

    static final Map<String, Integer> EXPECTED = Map.of("ok", 200, "fault-429", 200, "fault-500", 502, "fault-slow", 504,
            "fault-reset", 502, "fault-malformed", 502);
    /** The callers' deadline: the application's reply timeout over Kafka (20 s here), with a second of slack. */
    static final long DEADLINE_MILLIS = 21_000;

    record Outcome(String fault, String transport, int status, long millis, String body) {
    }

    @Test
    void faultsReachTheCallerInTimeWithTheirTraceAndNothingLeaks() throws Exception {
        int requests = ReliabilityReport.count(1000, 120);
        try (var stack = new Stack(); var model = new ModelFaultStub(Duration.ofSeconds(3))) {
            var env = new HashMap<>(Map.of("OPENAI_BASE_URL", model.baseUrl(), "OPENAI_API_KEY", "sk-fault-test",
                    "OPENAI_TIMEOUT", "1s", "OPENAI_MAX_RETRIES", "2"));
            var gateway = stack.gateway("gateway-model-faults", env);
            var application = stack.application("application-model-faults", gateway, Map.of("REPLY_TIMEOUT", "20s"));
            run(application, List.of("ok"), 10);
            long threadsBefore = gateway.threads();
            long descriptorsBefore = gateway.descriptors();

            List<String> faults = new ArrayList<>(EXPECTED.keySet());
            List<Outcome> outcomes = run(application, faults, requests);

            await("idle connections and workers settle").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> gateway.threads() <= threadsBefore + 10);
            long threadsAfter = gateway.threads();
            long descriptorsAfter = gateway.descriptors();
            Map<String, Integer> byStatus = new TreeMap<>();
            outcomes.forEach(outcome -> byStatus.merge(outcome.fault() + "=" + outcome.status(), 1, Integer::sum));
            ReliabilityReport.record("model server faults under load (429, 500, slow, reset, malformed JSON)",
                    "requests", outcomes.size(), "outcomes", byStatus,
                    "slowest answer (ms)", outcomes.stream().mapToLong(Outcome::millis).max().orElse(0),
                    "gateway threads before/after", threadsBefore + "/" + threadsAfter,
                    "gateway file descriptors before/after", descriptorsBefore + "/" + descriptorsAfter);

            assertThat(outcomes).allSatisfy(outcome -> {
                assertThat(outcome.status()).as(outcome.toString()).isEqualTo(EXPECTED.get(outcome.fault()));
                assertThat(outcome.millis()).as(outcome.toString()).isLessThan(DEADLINE_MILLIS);
                assertThat(outcome.body()).containsPattern("\"traceId\":\"[0-9a-f]{32}\"");
            });
            assertThat(threadsAfter).isLessThanOrEqualTo(threadsBefore + 10);
            assertThat(descriptorsAfter).isLessThanOrEqualTo(descriptorsBefore + 20);

            for (String fault : List.of("fault-500", "fault-slow", "fault-reset", "fault-malformed")) {
                Outcome failed = outcomes.stream().filter(o -> o.fault().equals(fault) && o.transport().equals("http")).findFirst().orElseThrow();
                List<ReceivedSpan> trace = awaitTrace(stack.collector, traceIdOf(failed.body()), 4);
                assertThat(only(trace, "gateway_request").span().getStatus().getCode().name()).isEqualTo("STATUS_CODE_ERROR");
                ReceivedSpan gatewaySide = only(trace, "llm_gateway_process");
                assertThat(gatewaySide.span().getStatus().getCode().name()).isEqualTo("STATUS_CODE_ERROR");
                assertThat(gatewaySide.span().getEventsList()).anySatisfy(event -> assertThat(event.getName()).isEqualTo("exception"));
            }
        }
    }

    private static List<Outcome> run(ServiceProcess application, List<String> faults, int requests) throws Exception {
        var slots = new Semaphore(24);
        List<CompletableFuture<Outcome>> pending = new ArrayList<>();
        try (var clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < requests; i++) {
                String fault = faults.get(i % faults.size());
                String transport = (i / faults.size()) % 2 == 0 ? "http" : "kafka";
                String prompt = fault + " request " + i;
                pending.add(CompletableFuture.supplyAsync(() -> {
                    slots.acquireUninterruptibly();
                    try {
                        long started = System.nanoTime();
                        var response = ask(application, "{\"text\":\"" + prompt + "\",\"transport\":\"" + transport + "\"}");
                        return new Outcome(fault, transport, response.statusCode(), (System.nanoTime() - started) / 1_000_000, response.body());
                    } catch (Exception failure) {
                        throw new IllegalStateException(failure);
                    } finally {
                        slots.release();
                    }
                }, clients));
            }
            return pending.stream().map(CompletableFuture::join).toList();
        }
    }

}
