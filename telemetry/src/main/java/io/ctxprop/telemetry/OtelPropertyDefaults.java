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
 */
final class OtelPropertyDefaults {

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
        if (environment.getProperty("otel.traces.exporter") == null) {
            boolean endpoint = environment.getProperty("otel.exporter.otlp.endpoint") != null
                    || environment.getProperty("otel.exporter.otlp.traces.endpoint") != null;
            defaults.put("otel.traces.exporter", endpoint ? "otlp" : "none");
        }
        return defaults;
    }
}
