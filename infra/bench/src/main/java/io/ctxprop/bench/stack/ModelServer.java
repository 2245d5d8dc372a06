package io.ctxprop.bench.stack;

import io.ctxprop.bench.process.JavaProcess;
import io.ctxprop.bench.process.Ports;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The model the measured gateways call, in a process of its own as OpenAI would be: a gateway jar
 * serving only its offline OpenAI-compatible endpoint, with tracing off (a model provider sends no
 * spans back). Inside the measured gateway it would double the gateway's HTTP requests in progress
 * and its memory, which a real deployment does not have.
 */
public final class ModelServer implements AutoCloseable {

    /** A stand-in for a provider, not a service under test: it gets room to hold every call at once. */
    private static final String HEAP = "-Xmx1g";

    private final String name;
    private final int port;
    private JavaProcess process;

    private ModelServer(String name, int port) {
        this.name = name;
        this.port = port;
    }

    /** A model server whose port is fixed now, so the gateways can be given its address before it is up. */
    public static ModelServer planned(String name) {
        return new ModelServer(name, Ports.free());
    }

    /** Starts the process and returns this server once it is ready. */
    public ModelServer start(Duration latency, String bootstrapServers, List<String> jvmOptions, Path services, Path logs)
            throws IOException {
        var options = new ArrayList<>(jvmOptions);
        options.add(HEAP);
        process = JavaProcess.service(name, services.resolve("gateway-service.jar"), options, port, Map.of(
                "GATEWAY_PORT", Integer.toString(port),
                "OFFLINE_MODEL_LATENCY", latency.toMillis() + "ms",
                "OTEL_SDK_DISABLED", "true",
                "KAFKA_BOOTSTRAP_SERVERS", bootstrapServers,
                // Its Kafka listener listens where nobody sends.
                "LLM_KAFKA_REQUESTS", name + ".requests",
                "LLM_KAFKA_REPLIES", name + ".replies",
                "LLM_KAFKA_DEADLETTERS", name + ".requests-dlt",
                "LLM_KAFKA_GROUPID", name), logs);
        return this;
    }

    /** What OPENAI_BASE_URL is set to in the gateways that call it. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port + "/offline/v1";
    }

    public JavaProcess process() {
        return process;
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null) {
            process.close();
        }
    }
}
