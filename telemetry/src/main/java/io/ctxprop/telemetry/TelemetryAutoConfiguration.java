package io.ctxprop.telemetry;

import io.ctxprop.telemetry.export.ArizeProperties;
import io.ctxprop.telemetry.export.BackendSpanProcessors;
import io.ctxprop.telemetry.export.PhoenixProperties;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SpanProcessor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The one OpenTelemetry SDK of a service. The standard {@code OTEL_*} variables configure it (SDK
 * autoconfigure); Phoenix and Arize, when configured, get a batch processor each on the same tracer
 * provider, so every span reaches every backend. Application code only sees {@link OpenTelemetry}
 * and {@link Tracer}.
 */
@AutoConfiguration
@EnableConfigurationProperties({PhoenixProperties.class, ArizeProperties.class})
public class TelemetryAutoConfiguration {

    /** Closed by Spring on shutdown, which flushes every batch processor. */
    @Bean
    @ConditionalOnMissingBean(OpenTelemetry.class)
    OpenTelemetrySdk openTelemetry(Environment environment, PhoenixProperties phoenix, ArizeProperties arize,
            ObjectProvider<SpanProcessor> extraProcessors) {
        return AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesSupplier(() -> OtelPropertyDefaults.from(environment))
                .addTracerProviderCustomizer((tracerProvider, config) -> {
                    BackendSpanProcessors.configured(phoenix, arize, config).forEach(tracerProvider::addSpanProcessor);
                    extraProcessors.orderedStream().forEach(tracerProvider::addSpanProcessor);
                    return tracerProvider;
                })
                .disableShutdownHook()
                .build()
                .getOpenTelemetrySdk();
    }

    @Bean
    @ConditionalOnMissingBean(Tracer.class)
    Tracer tracer(OpenTelemetry openTelemetry, Environment environment) {
        return openTelemetry.getTracer("io.ctxprop." + environment.getProperty("spring.application.name", "service"));
    }
}
