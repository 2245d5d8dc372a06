package io.ctxprop.systemtests;

import static io.ctxprop.systemtests.Traces.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ctxprop.telemetry.testing.OtlpHttpReceiver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code ./run.sh --brokers 3} as a user runs it: three Kafka nodes on the design's ports (clients 9092,
 * 9094, 9096; controllers 9093, 9095, 9097), the services given all three; one request per transport
 * is answered, and SIGTERM stops every process and frees every port. The same secured
 * ({@code --secure}: TLS, SCRAM, ACLs), with three brokers and with one.
 */
class RunClusterScriptIT {

    static final List<Integer> BROKER_PORTS = List.of(9092, 9093, 9094, 9095, 9096, 9097);

    @ParameterizedTest(name = "--brokers {0}, secure {1}")
    @CsvSource({"3, false", "3, true", "1, true"})
    void answersOverEveryTransportAndStopsCleanly(int brokers, boolean secure) throws Exception {
        List<Integer> brokerPorts = BROKER_PORTS.subList(0, 2 * brokers);
        assertThat(brokerPorts).as("the cluster's ports are free before the run").noneMatch(Ports::listening);
        Path target = Files.createDirectories(Path.of(System.getProperty("logs.dir", "target/service-logs")));
        Path log = target.resolve("run.sh-brokers-" + brokers + (secure ? "-secure" : "") + ".log");
        Path data = Files.createTempDirectory(target, "run-sh-cluster-kafka");
        int appPort = Ports.free();
        int gatewayPort = Ports.free();
        List<String> command = new ArrayList<>(List.of("./run.sh", "--brokers", Integer.toString(brokers)));
        if (secure) {
            command.add("--secure");
        }
        try (var collector = new OtlpHttpReceiver()) {
            var builder = new ProcessBuilder(command).directory(RunScriptIT.ROOT.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(Map.of(
                    "APP_PORT", Integer.toString(appPort),
                    "GATEWAY_PORT", Integer.toString(gatewayPort),
                    "GATEWAY_URL", "http://localhost:" + gatewayPort + "/process",
                    "KAFKA_BOOTSTRAP_SERVERS", "localhost:9092",
                    "KAFKA_DATA_DIR", data.toAbsolutePath().toString(),
                    "OTEL_EXPORTER_OTLP_ENDPOINT", collector.baseUrl(),
                    "OTEL_BSP_SCHEDULE_DELAY", "100"));
            Process run = builder.start();
            try {
                await("run.sh prints the form's address").atMost(Duration.ofSeconds(300)).until(() -> {
                    if (!run.isAlive()) {
                        throw new IllegalStateException("run.sh exited: " + Files.readString(log));
                    }
                    return Files.readString(log).contains("Ctrl-C stops everything.");
                });
                assertThat(Files.readString(log)).contains("Kafka:              localhost:9092" + (brokers == 3 ? ",localhost:9094,localhost:9096" : "")
                        + (secure ? "   SASL_SSL (SCRAM-SHA-512 over TLS) with ACLs" : ""));
                assertThat(brokerPorts).as("every node listens").allMatch(Ports::listening);
                Path nodes = secure ? data.resolve("secure") : data;
                List<Long> brokerPids = new ArrayList<>();
                for (int node = 1; node <= 3 && brokers == 3; node++) {
                    brokerPids.add(Long.parseLong(Files.readString(nodes.resolve("node-" + node + "/broker.pid")).strip()));
                }

                String application = "http://127.0.0.1:" + appPort;
                String kafkaTrace = askOk(application, "{\"text\":\"over Kafka, three brokers\",\"transport\":\"kafka\"}");
                askOk(application, "{\"text\":\"over HTTP\",\"transport\":\"http\"}");
                var both = ask(application, "{\"text\":\"over both\",\"transport\":\"both\"}");
                assertThat(both.statusCode()).as(both.body()).isEqualTo(200);
                assertThat(both.body()).contains("\"transport\":\"http\"").contains("\"transport\":\"kafka\"");
                awaitTrace(collector, kafkaTrace, 7);
                assertThat(Files.readString(RunScriptIT.ROOT.resolve(".run/logs/gateway-service.log")))
                        .contains(brokers == 3 ? "replication factor 3, min.insync.replicas 2 (derived from 3 broker(s))"
                                : "replication factor 1, min.insync.replicas 1 (derived from 1 broker(s))");
                if (secure) {
                    assertThat(Files.readString(RunScriptIT.ROOT.resolve(".run/logs/gateway-service.log")))
                            .contains("security.protocol = SASL_SSL").contains("sasl.jaas.config = [hidden]");
                }

                run.destroy();
                assertThat(run.waitFor(90, TimeUnit.SECONDS)).as("run.sh stops within 90 s of SIGTERM").isTrue();
                assertThat(Files.readString(log)).contains("Stopped.");
                for (int port : brokerPorts) {
                    assertThat(Ports.listening(port)).as("port %d is free", port).isFalse();
                }
                assertThat(List.of(appPort, gatewayPort)).noneMatch(Ports::listening);
                assertThat(brokerPids).as("no broker process left").noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
            } finally {
                if (run.isAlive()) {
                    run.destroyForcibly().waitFor();
                }
            }
        }
    }
}
