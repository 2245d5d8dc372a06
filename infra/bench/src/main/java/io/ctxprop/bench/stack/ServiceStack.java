package io.ctxprop.bench.stack;

import io.ctxprop.bench.process.JavaProcess;
import io.ctxprop.bench.process.Measured;
import io.ctxprop.bench.process.Ports;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A gateway and an application as processes, wired to the harness's broker, the model and, as its
 * {@link TracingSetup} says, the application's inspector, the span sink or the Java agent; started
 * side by side.
 */
public final class ServiceStack implements Subject, AutoCloseable {

    /**
     * Exported every 200 ms, as .env sets it. The batch processors' queue and batch are the services' own
     * defaults (OtelPropertyDefaults in the telemetry module, sized for 1,000 answers/s), as users run them:
     * the bench once set its own (8,192), and the dropped spans it then counted said nothing of the shipped
     * services.
     */
    static final Map<String, String> EXPORT_TUNING = Map.of("OTEL_BSP_SCHEDULE_DELAY", "200");

    private final String name;
    private final TracingSetup setup;
    private final String topicPrefix;
    private final JavaProcess gateway;
    private final JavaProcess application;
    private final List<Integer> prometheusPorts;
    private final SpanSink sink;

    private ServiceStack(String name, TracingSetup setup, String topicPrefix, JavaProcess gateway, JavaProcess application,
            List<Integer> prometheusPorts, SpanSink sink) {
        this.name = name;
        this.setup = setup;
        this.topicPrefix = topicPrefix;
        this.gateway = gateway;
        this.application = application;
        this.prometheusPorts = prometheusPorts;
        this.sink = sink;
    }

    /** What a stack is started with. {@code metrics}: Prometheus endpoints, where the dropped-span counters are read. */
    public record Plan(String name, TracingSetup setup, ModelServer model, String bootstrapServers, SpanSink sink,
            Path services, List<String> jvmOptions, Path logs, boolean metrics) {
    }

    /** Starts both services; the gateway calls the plan's model. Topics and consumer group are the stack's own. */
    public static ServiceStack start(Plan plan) throws IOException {
        return start(plan, Map.of(), Map.of());
    }

    /** As {@link #start(Plan)}, each service's environment overridden by its own extra (e.g. a secured broker's settings). */
    public static ServiceStack start(Plan plan, Map<String, String> gatewayExtra, Map<String, String> applicationExtra)
            throws IOException {
        String prefix = plan.name().replaceAll("[^A-Za-z0-9]", "_");
        int gatewayPort = Ports.free();
        int applicationPort = Ports.free();
        List<Integer> prometheus = plan.metrics() ? List.of(Ports.free(), Ports.free()) : List.of();

        var common = new HashMap<String, String>();
        common.put("KAFKA_BOOTSTRAP_SERVERS", plan.bootstrapServers());
        // Topics and consumer group of this stack's own, so stacks can wait side by side on one broker.
        common.put("LLM_KAFKA_REQUESTS", prefix + ".requests");
        common.put("LLM_KAFKA_REPLIES", prefix + ".replies");
        common.put("LLM_KAFKA_DEADLETTERS", prefix + ".requests-dlt");
        common.put("LLM_KAFKA_GROUPID", prefix + "-gateway");
        common.put("OTEL_METRICS_EXPORTER", plan.metrics() ? "prometheus" : "none");
        common.put("OTEL_EXPORTER_PROMETHEUS_HOST", "127.0.0.1");
        common.put("OTEL_LOGS_EXPORTER", "none");
        common.put("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
        common.putAll(EXPORT_TUNING);
        String applicationUrl = "http://127.0.0.1:" + applicationPort;
        switch (plan.setup()) {
            case OFF -> common.put("TELEMETRY_ENABLED", "false");
            case INSPECTOR -> common.put("OTEL_EXPORTER_OTLP_ENDPOINT", applicationUrl);
            case INSPECTOR_PHOENIX -> {
                common.put("OTEL_EXPORTER_OTLP_ENDPOINT", applicationUrl);
                common.put("PHOENIX_COLLECTOR_ENDPOINT", plan.sink().endpoint() + "/v1/traces");
            }
            case COLLECTOR -> common.put("OTEL_EXPORTER_OTLP_ENDPOINT", plan.sink().endpoint());
            case AGENT -> {
                common.put("TELEMETRY_ENABLED", "false");
                common.put("OTEL_EXPORTER_OTLP_ENDPOINT", plan.sink().endpoint());
            }
        }
        var jvm = new ArrayList<>(plan.jvmOptions());
        if (plan.setup() == TracingSetup.AGENT) {
            jvm.add("-javaagent:" + plan.services().resolve("opentelemetry-javaagent.jar"));
        }

        var gatewayEnv = new HashMap<>(common);
        gatewayEnv.put("GATEWAY_PORT", Integer.toString(gatewayPort));
        gatewayEnv.put("OPENAI_BASE_URL", plan.model().baseUrl());
        gatewayEnv.put("OPENAI_MODEL", "stand-in");
        gatewayEnv.put("OTEL_SERVICE_NAME", "gateway-service");

        var applicationEnv = new HashMap<>(common);
        applicationEnv.put("APP_PORT", Integer.toString(applicationPort));
        applicationEnv.put("GATEWAY_URL", "http://127.0.0.1:" + gatewayPort + "/process");
        applicationEnv.put("OTEL_SERVICE_NAME", "application-service");
        if (plan.metrics()) {
            gatewayEnv.put("OTEL_EXPORTER_PROMETHEUS_PORT", Integer.toString(prometheus.get(0)));
            applicationEnv.put("OTEL_EXPORTER_PROMETHEUS_PORT", Integer.toString(prometheus.get(1)));
        }
        gatewayEnv.putAll(gatewayExtra);
        applicationEnv.putAll(applicationExtra);

        var gateway = CompletableFuture.supplyAsync(() -> start(plan.name() + "-gateway",
                plan.services().resolve("gateway-service.jar"), jvm, gatewayPort, gatewayEnv, plan.logs()));
        var application = CompletableFuture.supplyAsync(() -> start(plan.name() + "-application",
                plan.services().resolve("application-service.jar"), jvm, applicationPort, applicationEnv, plan.logs()));
        try {
            return new ServiceStack(plan.name(), plan.setup(), prefix, gateway.join(), application.join(), prometheus, plan.sink());
        } catch (CompletionException failed) {
            closeQuietly(gateway);
            closeQuietly(application);
            throw new IllegalStateException("the " + plan.name() + " stack did not start", failed.getCause());
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

    @Override
    public String name() {
        return name;
    }

    public TracingSetup setup() {
        return setup;
    }

    /** The sink this stack exports to, where its setup exports there ({@link TracingSetup#sinkSeesSpans}). */
    @Override
    public Optional<SpanSink> spanSink() {
        return setup.sinkSeesSpans() ? Optional.ofNullable(sink) : Optional.empty();
    }

    @Override
    public String url() {
        return application.baseUrl();
    }

    @Override
    public Measured front() {
        return application;
    }

    @Override
    public Measured back() {
        return gateway;
    }

    /**
     * The project's own tracing: every span of the design's tree for the path, on this stack's topics.
     * The agent's: spans of both services and the gateway's call to the model, in one trace.
     */
    @Override
    public boolean wholeTrace(AskPath path, SpanSink sink, String traceId) {
        if (setup == TracingSetup.AGENT) {
            return sink.services(traceId).containsAll(List.of("application-service", "gateway-service"))
                    && sink.calledOut(traceId, "gateway-service");
        }
        return path.complete(sink.spanNames(traceId), topicPrefix + ".requests", topicPrefix + ".replies");
    }

    /** The topic this stack's gateway writes its replies to (chunk records and last records). */
    public String repliesTopic() {
        return topicPrefix + ".replies";
    }

    /** Spans the two services' SDKs dropped so far; null without metrics. */
    public Long spansDropped() {
        return prometheusPorts.isEmpty() ? null : prometheusPorts.stream().mapToLong(SpanDrops::scrape).sum();
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
