package io.ctxprop.systemtests;

import static io.ctxprop.systemtests.Traces.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.ctxprop.telemetry.testing.ReceivedSpans.ReceivedSpan;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two applications and two gateways on one broker: the gateways share the load, each reply finds its sender. */
class ScaleOutIT {

    static Stack stack;
    static List<ServiceProcess> applications;

    @BeforeAll
    static void start() throws Exception {
        stack = new Stack();
        var first = stack.gateway("gateway-1", Map.of());
        stack.gateway("gateway-2", Map.of());
        applications = List.of(stack.application("application-1", first, Map.of()), stack.application("application-2", first, Map.of()));
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    @Test
    void everyReplyReachesTheInstanceThatAskedInOneTrace() throws Exception {
        int requests = 24;
        List<String> traceIds;
        try (var clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<CompletableFuture<String>> asks = IntStream.range(0, requests)
                    .mapToObj(i -> CompletableFuture.supplyAsync(() -> askOrFail(applications.get(i % 2), i), clients))
                    .toList();
            traceIds = asks.stream().map(CompletableFuture::join).toList();
        }

        Set<String> gatewayInstances = new HashSet<>();
        for (String traceId : traceIds) {
            List<ReceivedSpan> trace = awaitTrace(stack.collector, traceId, 7);
            ReceivedSpan root = only(trace, "application_process_request");
            ReceivedSpan reply = only(trace, "process llm.replies");
            assertThat(reply.resourceAttribute("service.instance.id")).isEqualTo(root.resourceAttribute("service.instance.id"));
            gatewayInstances.add(only(trace, "process llm.requests").resourceAttribute("service.instance.id").orElseThrow());
        }
        assertThat(gatewayInstances).as("both gateways took a share of the requests").hasSize(2);
    }

    private static String askOrFail(ServiceProcess application, int i) {
        try {
            return askOk(application, "{\"text\":\"request " + i + "\",\"transport\":\"kafka\"}");
        } catch (Exception failure) {
            throw new IllegalStateException(failure);
        }
    }
}
