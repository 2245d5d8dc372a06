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
        return defaults;
    }
}
