package io.ctxprop.bench.stack;

import io.ctxprop.bench.process.JavaProcess;
import io.ctxprop.bench.process.Measured;
import io.ctxprop.bench.process.Ports;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A gateway and an application as processes, wired to the harness's broker and span sink, started
 * side by side. With tracing on, each service exports over OTLP/HTTP and serves its metrics for
 * Prometheus (where the dropped-span counter is read).
 */
public final class ServiceStack implements AutoCloseable {

    /**
     * The batch span processor under load: a request makes 4 to 11 spans, so the SDK's default queue
     * (2,048 spans, exported every 5 s) holds well under a second of a busy service. This queue holds a
     * few seconds at the rates measured, exported every 200 ms, and stays small enough for a 256 MB
     * heap (a queued span with its prompt and answer is 1 to 2 KB).
     */
    static final Map<String, String> EXPORT_TUNING = Map.of(
            "OTEL_BSP_MAX_QUEUE_SIZE", "8192",
            "OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "1024",
            "OTEL_BSP_SCHEDULE_DELAY", "200");

    private final String name;
    private final JavaProcess gateway;
    private final JavaProcess application;
    private final ModelServer model;
    private final Tracing tracing;
    private final List<Integer> prometheusPorts;

    private ServiceStack(String name, JavaProcess gateway, JavaProcess application, ModelServer model, Tracing tracing,
            List<Integer> prometheusPorts) {
        this.name = name;
        this.model = model;
        this.gateway = gateway;
        this.application = application;
        this.tracing = tracing;
        this.prometheusPorts = prometheusPorts;
    }

    /**
     * Starts both services; the gateway calls {@code model}. {@code name} prefixes the process names,
     * the topics and the gateway's consumer group.
     */
    public static ServiceStack start(String name, Tracing tracing, ModelServer model, String bootstrapServers,
            SpanSink sink, Path services, List<String> jvmOptions, Path logs) throws IOException {
        int gatewayPort = Ports.free();
        int applicationPort = Ports.free();
        var gatewayPrometheus = Ports.free();
        var applicationPrometheus = Ports.free();

        var common = new HashMap<String, String>();
        common.put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
        // Topics and consumer group of this stack's own, so two stacks can wait side by side on one broker.
        common.put("LLM_KAFKA_REQUESTS", requestsTopic(name));
        common.put("LLM_KAFKA_REPLIES", repliesTopic(name));
        common.put("LLM_KAFKA_DEADLETTERS", name + ".requests-dlt");
        common.put("LLM_KAFKA_GROUPID", name + "-gateway");
        if (tracing == Tracing.ON) {
            common.put("OTEL_TRACES_EXPORTER", "otlp");
            common.put("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
            common.put("OTEL_EXPORTER_OTLP_ENDPOINT", sink.endpoint());
            common.put("OTEL_METRICS_EXPORTER", "prometheus");
            common.put("OTEL_EXPORTER_PROMETHEUS_HOST", "127.0.0.1");
            common.putAll(EXPORT_TUNING);
        } else {
            common.put("OTEL_SDK_DISABLED", "true");
        }

        var gatewayEnv = new HashMap<>(common);
        gatewayEnv.put("GATEWAY_PORT", Integer.toString(gatewayPort));
        gatewayEnv.put("OPENAI_BASE_URL", model.baseUrl());
        gatewayEnv.put("OPENAI_MODEL", "offline-echo");
        gatewayEnv.put("OTEL_EXPORTER_PROMETHEUS_PORT", Integer.toString(gatewayPrometheus));

        var applicationEnv = new HashMap<>(common);
        applicationEnv.put("APP_PORT", Integer.toString(applicationPort));
        applicationEnv.put("GATEWAY_URL", "http://127.0.0.1:" + gatewayPort + "/process");
        applicationEnv.put("OTEL_EXPORTER_PROMETHEUS_PORT", Integer.toString(applicationPrometheus));

        var gateway = CompletableFuture.supplyAsync(() -> start(name + "-gateway",
                services.resolve("gateway-service.jar"), jvmOptions, gatewayPort, gatewayEnv, logs));
        var application = CompletableFuture.supplyAsync(() -> start(name + "-application",
                services.resolve("application-service.jar"), jvmOptions, applicationPort, applicationEnv, logs));
        try {
            return new ServiceStack(name, gateway.join(), application.join(), model, tracing,
                    List.of(gatewayPrometheus, applicationPrometheus));
        } catch (CompletionException failed) {
            closeQuietly(gateway);
            closeQuietly(application);
            throw new IllegalStateException("the " + name + " stack did not start", failed.getCause());
        }
    }

    private static JavaProcess start(String name, Path jar, List<String> jvmOptions, int port,
            Map<String, String> env, Path logs) {
        try {
            return JavaProcess.service(name, jar, jvmOptions, port, env, logs);
        } catch (IOException e) {
            throw new CompletionException(e);
        }
    }

    private static void closeQuietly(CompletableFuture<JavaProcess> started) {
        started.thenAccept(process -> {
            try {
                process.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    public String name() {
        return name;
    }

    /** Whether the spans seen for a trace make a whole trace of {@code path} on this stack's topics. */
    public boolean wholeTrace(AskPath path, Set<String> spanNames) {
        return path.complete(spanNames, requestsTopic(name), repliesTopic(name));
    }

    private static String requestsTopic(String stack) {
        return stack + ".requests";
    }

    private static String repliesTopic(String stack) {
        return stack + ".replies";
    }

    public String applicationUrl() {
        return application.baseUrl();
    }

    /** The processes a scenario on this stack keeps busy: both services and the model they call. */
    public List<Measured> processes() {
        return List.of(gateway, application, model.process());
    }

    /** The two services, whose heaps and profiles the targets are about. */
    public List<Measured> services() {
        return List.of(gateway, application);
    }

    /** Spans the two services' SDKs dropped so far; null with tracing off (there is no SDK to ask). */
    public Long spansDropped() {
        return tracing == Tracing.OFF ? null
                : prometheusPorts.stream().mapToLong(SpanDrops::scrape).sum();
    }

    /** Stops both services (SIGTERM, graceful); safe to call twice. */
    @Override
    public void close() {
        try {
            application.close();
            gateway.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
