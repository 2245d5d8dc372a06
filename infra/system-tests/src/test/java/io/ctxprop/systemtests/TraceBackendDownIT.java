package io.ctxprop.systemtests;

import static io.ctxprop.systemtests.Traces.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ctxprop.telemetry.testing.OtlpHttpReceiver;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The trace backend (Phoenix here) refusing connections or accepting them and never answering: the
 * requests' latency stays as it was, the exporter's queue stays within its bound and Phoenix's lane
 * within its budget of bytes in flight (FanOutHttpSenderTest: memory cannot grow past them), what does not fit is dropped and
 * counted in the metrics, and the failure is logged a few times, not once per span. The gateway sends to
 * the inspector over OTLP/HTTP as well, so Phoenix rides on that exporter's batches (SharedOtlpExport).
 */
class TraceBackendDownIT {

    @Test
    void aDeadOrHangingBackendCostsTheRequestsNothing() throws Exception {
        int requests = ReliabilityReport.count(1000, 200);
        try (var stack = new Stack(); var healthy = new OtlpHttpReceiver(); var hanging = new HangingServer()) {
            int refusingPort = Ports.free();
            Map<String, Long> p50 = new HashMap<>();
            Map<String, String> figures = new HashMap<>();
            for (var backend : List.of(Map.entry("answering", healthy.baseUrl()), Map.entry("refusing", "http://127.0.0.1:" + refusingPort),
                    Map.entry("hanging", "http://127.0.0.1:" + hanging.port()))) {
                int metricsPort = Ports.free();
                var env = new HashMap<>(stack.environment());
                // the SDK's own 10 s timeout: a hanging Phoenix holds each body that long, so its lane's budget
                // (256 queued spans' worth, 256 KB) fills within the run and the rest must be dropped
                env.putAll(Map.of("PHOENIX_COLLECTOR_ENDPOINT", backend.getValue(), "OTEL_BSP_MAX_QUEUE_SIZE", "256",
                        "OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "64", "OTEL_METRICS_EXPORTER", "prometheus",
                        "OTEL_EXPORTER_PROMETHEUS_PORT", Integer.toString(metricsPort), "OTEL_EXPORTER_OTLP_TIMEOUT", "10000"));
                try (var gateway = ServiceProcess.start("gateway-backend-" + backend.getKey(), "gateway-service", "GATEWAY_PORT", env)) {
                    env.put("GATEWAY_URL", gateway.baseUrl() + "/process");
                    env.put("OTEL_EXPORTER_PROMETHEUS_PORT", Integer.toString(Ports.free()));
                    try (var application = ServiceProcess.start("application-backend-" + backend.getKey(), "application-service", "APP_PORT", env)) {
                        for (int i = 0; i < 20; i++) {
                            askOk(application, "{\"text\":\"warm up\"}");
                        }
                        List<Long> latencies = new ArrayList<>();
                        for (int i = 0; i < requests; i++) {
                            long started = System.nanoTime();
                            askOk(application, "{\"text\":\"request " + i + "\"}");
                            latencies.add((System.nanoTime() - started) / 1_000);
                        }
                        latencies.sort(null);
                        p50.put(backend.getKey(), latencies.get(latencies.size() / 2));
                        long dropped = droppedSpans(metricsPort);
                        long queued = largestQueue(metricsPort);
                        assertThat(queued).as("no export queue holds more than its bound").isLessThanOrEqualTo(256);
                        long failureLines = backend.getKey().equals("answering") ? exportFailureLines(gateway)
                                : await("the failure is logged").atMost(Duration.ofSeconds(30)).until(() -> exportFailureLines(gateway), lines -> lines > 0);
                        figures.put(backend.getKey(), "p50 " + latencies.get(latencies.size() / 2) + " µs, spans dropped by the gateway "
                                + dropped + ", largest export queue " + queued + " of 256, export failures and drops logged in " + failureLines + " lines");
                        if (!backend.getKey().equals("answering")) {
                            assertThat(failureLines).as("logged, a few times, not once per span").isBetween(1L, 10L);
                        }
                        if (backend.getKey().equals("hanging")) {
                            assertThat(dropped).as("the queue bound holds; what does not fit is dropped and counted").isPositive();
                        }
                    }
                }
            }
            ReliabilityReport.record("trace backend answering, refusing, hanging", "requests each", requests,
                    "answering", figures.get("answering"), "refusing", figures.get("refusing"), "hanging", figures.get("hanging"));
            // latency unchanged within noise: a median within twice the healthy one plus 2 ms
            assertThat(p50.get("refusing")).isLessThan(p50.get("answering") * 2 + 2_000);
            assertThat(p50.get("hanging")).isLessThan(p50.get("answering") * 2 + 2_000);
        }
    }

    private static long exportFailureLines(ServiceProcess gateway) throws IOException {
        return gateway.log().lines().filter(line -> line.contains("Failed to export") || line.contains("BatchSpanProcessor dropped")
                || line.contains("Spans to phoenix") && (line.contains("are failing") || line.contains("are being dropped"))).count();
    }

    /** Dropped by a batch processor's queue, or by Phoenix's lane of the shared export. */
    private static long droppedSpans(int metricsPort) throws Exception {
        String metrics = scrape(metricsPort);
        long dropped = 0;
        for (var counter : List.of("^processedSpans_total\\{[^}]*dropped=\"true\"[^}]*\\} ([0-9.eE+]+)",
                "^ctxprop_export_spans_total\\{[^}]*outcome=\"dropped\"[^}]*\\} ([0-9.eE+]+)")) {
            var matcher = Pattern.compile("(?m)" + counter).matcher(metrics);
            while (matcher.find()) {
                dropped += (long) Double.parseDouble(matcher.group(1));
            }
        }
        return dropped;
    }

    /** The fullest of the gateway's batch processor queues at the last scrape (the SDK's queueSize gauge). */
    private static long largestQueue(int metricsPort) throws Exception {
        var matcher = Pattern.compile("(?m)^queueSize\\{[^}]*\\} ([0-9.]+)").matcher(scrape(metricsPort));
        long largest = -1;
        while (matcher.find()) {
            largest = Math.max(largest, (long) Double.parseDouble(matcher.group(1)));
        }
        assertThat(largest).as("the SDK reports its queue sizes").isNotNegative();
        return largest;
    }

    private static String scrape(int metricsPort) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Accepts connections and never answers, like a backend that hangs. */
    private static final class HangingServer implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0);
        private final List<Socket> held = new CopyOnWriteArrayList<>();

        HangingServer() throws IOException {
            Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try {
                        held.add(server.accept());
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket socket : held) {
                socket.close();
            }
        }
    }
}
