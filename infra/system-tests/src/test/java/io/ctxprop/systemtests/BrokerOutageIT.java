package io.ctxprop.systemtests;

import static io.ctxprop.systemtests.Traces.ask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ctxprop.telemetry.testing.OtlpHttpReceiver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The broker stopped for 10 s under load and started again: the HTTP path keeps answering, the Kafka
 * path fails fast with 503/504 while the broker is gone (no request hangs past its timeout), and both
 * services work over Kafka again afterwards without a restart.
 */
class BrokerOutageIT {

    record Outcome(String phase, String transport, int status, long millis) {
    }

    @Test
    void bothServicesRecoverWithoutARestart() throws Exception {
        int brokerPort = Ports.free();
        Path data = Files.createTempDirectory("broker-outage");
        try (var broker = new BrokerProcess(brokerPort, data); var collector = new OtlpHttpReceiver()) {
            broker.start();
            Map<String, String> env = Map.of("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(), "OTEL_TRACES_EXPORTER", "otlp",
                    "OTEL_EXPORTER_OTLP_ENDPOINT", collector.baseUrl(), "REPLY_TIMEOUT", "5s");
            try (var gateway = ServiceProcess.start("gateway-outage", "gateway-service", "GATEWAY_PORT", env);
                 var application = ServiceProcess.start("application-outage", "application-service", "APP_PORT",
                         withGateway(env, gateway))) {
                assertThat(ask(application, "{\"text\":\"warm up\",\"transport\":\"kafka\"}").statusCode()).isEqualTo(200);

                var outcomes = new ConcurrentLinkedQueue<Outcome>();
                var phase = new AtomicReference<>("before");
                var running = new AtomicBoolean(true);
                try (var clients = Executors.newVirtualThreadPerTaskExecutor()) {
                    for (String transport : List.of("http", "kafka", "http", "kafka")) {
                        clients.submit(() -> {
                            while (running.get()) {
                                String during = phase.get();
                                long started = System.nanoTime();
                                int status = ask(application, "{\"text\":\"under load\",\"transport\":\"" + transport + "\"}").statusCode();
                                outcomes.add(new Outcome(during, transport, status, (System.nanoTime() - started) / 1_000_000));
                            }
                            return null;
                        });
                    }
                    await().atMost(Duration.ofSeconds(30)).until(() -> count(outcomes, "before", "kafka", 200) >= 5);
                    broker.stop();
                    phase.set("outage");
                    await().pollDelay(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(11)).until(() -> true);
                    phase.set("restarting");
                    broker.start();
                    phase.set("after");
                    await("Kafka answers again").atMost(Duration.ofSeconds(90))
                            .until(() -> count(outcomes, "after", "kafka", 200) >= 5 && count(outcomes, "after", "http", 200) >= 5);
                    running.set(false);
                }

                List<Outcome> outage = outcomes.stream().filter(outcome -> outcome.phase().equals("outage")).toList();
                long kafkaDuringOutage = outage.stream().filter(outcome -> outcome.transport().equals("kafka")).count();
                long httpDuringOutage = outage.stream().filter(outcome -> outcome.transport().equals("http")).count();
                long longest = outage.stream().filter(outcome -> outcome.transport().equals("kafka")).mapToLong(Outcome::millis).max().orElse(0);
                ReliabilityReport.record("broker stopped for 10 s under load, then started again",
                        "requests", outcomes.size(), "HTTP during the outage", httpDuringOutage,
                        "of which answered", outage.stream().filter(o -> o.transport().equals("http") && o.status() == 200).count(),
                        "Kafka during the outage", kafkaDuringOutage,
                        "of which 503/504", outage.stream().filter(o -> o.transport().equals("kafka") && (o.status() == 503 || o.status() == 504)).count(),
                        "longest Kafka failure (ms)", longest,
                        "Kafka answered after the restart", count(outcomes, "after", "kafka", 200));

                assertThat(outage).filteredOn(outcome -> outcome.transport().equals("http"))
                        .isNotEmpty().allSatisfy(outcome -> assertThat(outcome.status()).isEqualTo(200));
                assertThat(outage).filteredOn(outcome -> outcome.transport().equals("kafka"))
                        .isNotEmpty().allSatisfy(outcome -> assertThat(outcome.status()).isIn(200, 503, 504));
                assertThat(longest).as("no Kafka request hangs past its timeout").isLessThan(16_000);
            }
        }
    }

    private static Map<String, String> withGateway(Map<String, String> env, ServiceProcess gateway) {
        var withGateway = new java.util.HashMap<>(env);
        withGateway.put("GATEWAY_URL", gateway.baseUrl() + "/process");
        return withGateway;
    }

    private static long count(ConcurrentLinkedQueue<Outcome> outcomes, String phase, String transport, int status) {
        return outcomes.stream().filter(o -> o.phase().equals(phase) && o.transport().equals(transport) && o.status() == status).count();
    }
}
