package io.ctxprop.systemtests;

import io.ctxprop.telemetry.testing.OtlpHttpReceiver;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * What a Kafka system test runs against: a real KRaft broker (in the test JVM, or the brokers a test
 * started itself), an OTLP receiver standing in for the collector, and any number of gateway and
 * application processes wired to both.
 */
final class Stack implements AutoCloseable {

    /** The in-JVM broker; null when the stack runs on brokers of the test's own. */
    final EmbeddedKafkaKraftBroker broker;
    final OtlpHttpReceiver collector;
    private final String bootstrapServers;
    private final List<ServiceProcess> services = Collections.synchronizedList(new ArrayList<>());

    Stack() throws IOException {
        this(embeddedBroker());
    }

    private Stack(EmbeddedKafkaKraftBroker broker) throws IOException {
        this(broker, broker.getBrokersAsString());
    }

    private Stack(EmbeddedKafkaKraftBroker broker, String bootstrapServers) throws IOException {
        this.broker = broker;
        this.bootstrapServers = bootstrapServers;
        collector = new OtlpHttpReceiver();
    }

    /** The services on brokers the test runs itself (a {@link BrokerCluster}); closing the stack leaves them running. */
    static Stack on(String bootstrapServers) throws IOException {
        return new Stack(null, bootstrapServers);
    }

    private static EmbeddedKafkaKraftBroker embeddedBroker() {
        var broker = new EmbeddedKafkaKraftBroker(1, 6, "llm.requests", "llm.replies", "llm.requests-dlt");
        broker.afterPropertiesSet();
        return broker;
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    Map<String, String> environment() {
        // the OTLP endpoint alone, as users set it: the services export over OTLP without OTEL_TRACES_EXPORTER
        return Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", bootstrapServers,
                "OTEL_EXPORTER_OTLP_ENDPOINT", collector.baseUrl(),
                "OTEL_BSP_SCHEDULE_DELAY", "100");
    }

    ServiceProcess gateway(String name, Map<String, String> extra) throws IOException {
        var env = new HashMap<>(environment());
        env.putAll(extra);
        return track(ServiceProcess.start(name, "gateway-service", "GATEWAY_PORT", env));
    }

    ServiceProcess application(String name, ServiceProcess gateway, Map<String, String> extra) throws IOException {
        var env = new HashMap<>(environment());
        env.put("GATEWAY_URL", gateway.baseUrl() + "/process");
        env.putAll(extra);
        return track(ServiceProcess.start(name, "application-service", "APP_PORT", env));
    }

    ServiceProcess track(ServiceProcess service) {
        services.add(service);
        return service;
    }

    @Override
    public void close() throws Exception {
        for (ServiceProcess service : List.copyOf(services).reversed()) {
            service.close();
        }
        collector.close();
        if (broker != null) {
            broker.destroy();
        }
    }
}
