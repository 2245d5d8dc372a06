package io.ctxprop.telemetry;

import java.util.HashMap;
import java.util.Map;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Defaults for SDK autoconfigure taken from Spring's configuration: every {@code otel.*} key that
 * application.yml or a test sets, and the service name from {@code spring.application.name}.
 * Real {@code OTEL_*} variables and system properties still win, since autoconfigure reads them
 * above these defaults.
 * <p>
 * The trace exporter follows the specification's convention: an OTLP endpoint (general or
 * traces-specific) means OTLP, unless {@code OTEL_TRACES_EXPORTER} says otherwise. Without an
 * endpoint there is no exporter (the SDK's own default would send to localhost:4318, where nothing
 * usually listens), and the service says once how to get spans out.
 * <p>
 * The batch span processors' queue and batch are sized for the load a service must carry
 * ({@link #SPAN_QUEUE}, {@link #SPAN_BATCH}); {@code OTEL_BSP_MAX_QUEUE_SIZE} and
 * {@code OTEL_BSP_MAX_EXPORT_BATCH_SIZE} (or {@code otel.bsp.*} in application.yml) set them otherwise.
 */
final class OtelPropertyDefaults {

    /**
     * Spans a batch processor holds while its export is in flight (each processor: the standard exporter's,
     * Phoenix's, Arize's). The load to carry: 1,000 answers/s (the 1 s model at 1,000 clients), about 4
     * spans per answer in each service (7 for both over Kafka), so about 4,000 spans/s into each queue. The
     * SDK's 2,048 is half a second of that. The bench's stacks ran with 8,192 (2 s) and the Kafka gateway
     * still dropped 3,790 spans at 1,000 clients while its exporter thread waited for a core: about 12,000
     * spans were waiting at the worst. 16,384 holds 4 s. Memory (estimated, not measured): a queued span of
     * ours is about 1 KB, so a full queue (only while its backend is slow or down) is about 16 MB per
     * processor, beside a 512 MB heap.
     */
    static final int SPAN_QUEUE = 16_384;
    /** Spans per export: 1,024, so 4,000 spans/s are four exports a second per backend instead of eight. */
    static final int SPAN_BATCH = 1_024;

    private OtelPropertyDefaults() {
    }

    static Map<String, String> from(Environment environment) {
        Map<String, String> defaults = new HashMap<>();
        String serviceName = environment.getProperty("spring.application.name");
        if (serviceName != null) {
            defaults.put("otel.service.name", serviceName);
        }
        if (environment instanceof ConfigurableEnvironment configurable) {
            configurable.getPropertySources().stream()
                    .filter(source -> source instanceof EnumerablePropertySource<?>)
                    .filter(source -> !StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME.equals(source.getName()))
                    .flatMap(source -> java.util.Arrays.stream(((EnumerablePropertySource<?>) source).getPropertyNames()))
                    .filter(name -> name.startsWith("otel."))
                    .forEach(name -> defaults.putIfAbsent(name, environment.getProperty(name)));
        }
        // below any configured value: Spring's own (application.yml, OTEL_BSP_* as Spring reads them) and,
        // since autoconfigure reads them above these defaults, the real variables and system properties
        putUnlessConfigured(defaults, environment, "otel.bsp.max.queue.size", SPAN_QUEUE);
        putUnlessConfigured(defaults, environment, "otel.bsp.max.export.batch.size", SPAN_BATCH);
        if (environment.getProperty("otel.traces.exporter") == null) {
            boolean endpoint = environment.getProperty("otel.exporter.otlp.endpoint") != null
                    || environment.getProperty("otel.exporter.otlp.traces.endpoint") != null;
            defaults.put("otel.traces.exporter", endpoint ? "otlp" : "none");
        }
        return defaults;
    }

    private static void putUnlessConfigured(Map<String, String> defaults, Environment environment, String key, int value) {
        if (environment.getProperty(key) == null) {
            defaults.put(key, Integer.toString(value));
        }
    }
}
