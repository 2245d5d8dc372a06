package io.ctxprop.telemetry;

import io.ctxprop.telemetry.export.ArizeProperties;
import io.ctxprop.telemetry.export.BackendSpanProcessors;
import io.ctxprop.telemetry.export.InProcessExport;
import io.ctxprop.telemetry.export.InProcessSpanExporter;
import io.ctxprop.telemetry.export.PhoenixProperties;
import io.ctxprop.telemetry.export.SharedOtlpExport;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.internal.SdkTracerProviderUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.ctxprop.telemetry.kafka.KafkaClientMetrics;
import io.ctxprop.telemetry.metrics.ContextMetrics;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaConsumerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.context.annotation.Configuration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import io.ctxprop.telemetry.web.TracedProblemHandler;
import io.ctxprop.telemetry.web.RequestSizeLimitFilter;
import io.ctxprop.telemetry.web.SecurityHeadersFilter;
import io.ctxprop.telemetry.web.StrictJsonStrings;
import io.ctxprop.telemetry.web.ListenAddressLog;
import io.ctxprop.telemetry.web.FilterOrder;
import io.ctxprop.telemetry.web.ListenAddress;
import io.ctxprop.telemetry.web.LoopbackHostFilter;
import java.util.Set;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.core.Ordered;
import io.ctxprop.telemetry.kafka.KafkaTracing;
import io.ctxprop.telemetry.kafka.RecordLogFormat;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The one OpenTelemetry SDK of a service, for traces and metrics alike. The standard {@code OTEL_*}
 * variables configure it (SDK autoconfigure); Phoenix and Arize, when configured, get a batch
 * processor each on the same tracer provider, so every span reaches every backend; so does an
 * {@link InProcessSpanExporter} bean (the application's own trace inspector). While prompts or
 * answers are hidden, no recorded exception's message that could quote them reaches a span
 * ({@link HiddenContentExceptions}). Application code only sees {@link OpenTelemetry},
 * {@link Tracer} and {@link Meter}.
 */
@AutoConfiguration
@EnableConfigurationProperties({PhoenixProperties.class, ArizeProperties.class, ContentCapture.class})
public class TelemetryAutoConfiguration {

    private static final Logger LOGGER = LoggerFactory.getLogger(TelemetryAutoConfiguration.class);

    /**
     * {@code TELEMETRY_ENABLED=false} switches the project's own SDK off, for running the services under
     * the OpenTelemetry Java agent instead (the benchmark's peer column). {@code OTEL_SDK_DISABLED} cannot
     * do that: the agent reads it too and would switch itself off as well.
     */
    static final String ENABLED = "telemetry.enabled";

    /** Closed by Spring on shutdown, which flushes every batch processor. */
    @Bean
    @ConditionalOnMissingBean(OpenTelemetry.class)
    OpenTelemetrySdk openTelemetry(Environment environment, PhoenixProperties phoenix, ArizeProperties arize, ContentCapture capture,
            ObjectProvider<SpanProcessor> extraProcessors, ObjectProvider<InProcessSpanExporter> inProcessExporters,
            ObjectProvider<MetricReader> extraReaders) {
        if (!environment.getProperty(ENABLED, Boolean.class, true)) {
            // No processors, readers or propagators: every span of ours wraps whatever context is current
            // (an agent's, when one runs), and nothing of ours is injected, extracted, exported or measured.
            LOGGER.info("The project's own telemetry is off ({}=false): no spans, trace headers or metrics of its own.", ENABLED);
            return OpenTelemetrySdk.builder().build();
        }
        AtomicReference<OpenTelemetrySdk> built = new AtomicReference<>();
        List<InProcessSpanExporter> inProcess = inProcessExporters.orderedStream().toList();
        int ownPort = environment.getProperty("server.port", Integer.class, 8080);
        var sharedExport = new SharedOtlpExport(phoenix, () -> built.get().getMeterProvider());
        OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesSupplier(() -> OtelPropertyDefaults.from(environment))
                .addPropertiesCustomizer(config -> inProcess.isEmpty() ? Map.of() : InProcessExport.withoutExportToSelf(config, ownPort))
                // runs before the tracer provider customizer below (the SDK builds its exporters first)
                .addSpanExporterCustomizer(sharedExport::customize)
                .addTracerProviderCustomizer((tracerProvider, config) -> {
                    // Always registered, so the provider is never without a processor: SDK 1.68 hands out
                    // invalid, all-zero span contexts then, and replies, problems and logs would lose their trace ids.
                    tracerProvider.addSpanProcessor(new BaggageSpanAttributes(SpanBaggage.keys(environment)));
                    sharedExport.sharedProject().ifPresent(tracerProvider::addResource);
                    List<SpanProcessor> added = new ArrayList<>(BackendSpanProcessors.configured(phoenix, sharedExport.phoenixShared(), arize, config,
                            () -> built.get().getMeterProvider()));
                    extraProcessors.orderedStream().forEach(added::add);
                    added.addAll(InProcessExport.processors(inProcess, config, () -> built.get().getMeterProvider()));
                    if (added.isEmpty() && config.getList("otel.traces.exporter", List.of("otlp")).equals(List.of("none"))) {
                        LOGGER.warn("No trace exporter is configured: spans keep their ids but are sent nowhere. "
                                + "Set OTEL_EXPORTER_OTLP_ENDPOINT, PHOENIX_COLLECTOR_ENDPOINT or ARIZE_SPACE_ID/ARIZE_API_KEY.");
                    }
                    added.forEach(tracerProvider::addSpanProcessor);
                    if (!capture.inputs() || !capture.outputs()) {
                        SdkTracerProviderUtil.setExceptionAttributeResolver(tracerProvider, new HiddenContentExceptions());
                    }
                    return tracerProvider;
                })
                .addMeterProviderCustomizer((meterProvider, config) -> {
                    extraReaders.orderedStream().forEach(meterProvider::registerMetricReader);
                    return meterProvider;
                })
                .disableShutdownHook()
                .build()
                .getOpenTelemetrySdk();
        built.set(sdk);
        return sdk;
    }

    /** Bridges the Kafka clients' own metrics into OpenTelemetry, for every producer and consumer Boot creates. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.kafka.core.DefaultKafkaProducerFactory")
    static class KafkaClientMetricsConfiguration {

        @Bean
        KafkaClientMetrics kafkaClientMetrics(OpenTelemetry openTelemetry) {
            return new KafkaClientMetrics(openTelemetry);
        }

        /** Spring Kafka's own log lines name records without their values (prompts, answers). */
        @Bean
        RecordLogFormat kafkaRecordLogFormat() {
            return new RecordLogFormat();
        }

        @Bean
        DefaultKafkaProducerFactoryCustomizer openTelemetryKafkaProducerMetrics(KafkaClientMetrics metrics) {
            return metrics.producers();
        }

        @Bean
        DefaultKafkaConsumerFactoryCustomizer openTelemetryKafkaConsumerMetrics(KafkaClientMetrics metrics) {
            return metrics.consumers();
        }
    }

    @Bean
    @ConditionalOnMissingBean(Meter.class)
    Meter meter(OpenTelemetry openTelemetry, Environment environment) {
        return openTelemetry.getMeter("io.ctxprop." + environment.getProperty("spring.application.name", "service"));
    }

    @Bean
    ContextMetrics contextMetrics(OpenTelemetry openTelemetry) {
        return new ContextMetrics(openTelemetry);
    }

    /** Security headers on every answer of a web service. */
    @Bean
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    FilterRegistrationBean<SecurityHeadersFilter> securityHeadersFilter() {
        var registration = new FilterRegistrationBean<>(new SecurityHeadersFilter());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    /** On loopback only, requests for another host name (DNS rebinding) refused, before anything else but the security headers. */
    @Bean
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    FilterRegistrationBean<LoopbackHostFilter> loopbackHostFilter(Environment environment) {
        ListenAddress listen = ListenAddress.of(environment);
        var registration = new FilterRegistrationBean<>(new LoopbackHostFilter(listen.address()));
        registration.setEnabled(!listen.beyondLoopback());
        registration.setOrder(FilterOrder.LOOPBACK_HOST);
        return registration;
    }

    /** Request bodies bounded before anything reads them, inside the server span (a 413 carries the trace id) ({@code telemetry.max-request-bytes}, 1 MiB). */
    @Bean
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    FilterRegistrationBean<RequestSizeLimitFilter> requestSizeLimitFilter(Environment environment) {
        var registration = new FilterRegistrationBean<>(new RequestSizeLimitFilter(
                environment.getProperty("telemetry.max-request-bytes", Long.class, 1_048_576L), "/v1/traces"));
        registration.setOrder(FilterOrder.REQUEST_SIZE_LIMIT);
        return registration;
    }

    /** Text fields of request bodies are JSON strings, never numbers or booleans made strings. */
    @Bean
    @ConditionalOnClass(name = "org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer")
    StrictJsonStrings strictJsonStrings() {
        return new StrictJsonStrings();
    }

    /** One start-up line: the address and port the service listens on. */
    @Bean
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    ListenAddressLog listenAddressLog(Environment environment) {
        return new ListenAddressLog(environment);
    }

    /** problem+json with the trace id for every error of a web service. */
    @Bean
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnMissingBean(TracedProblemHandler.class)
    TracedProblemHandler tracedProblemHandler() {
        return new TracedProblemHandler();
    }

    @Bean
    KafkaTracing kafkaTracing(OpenTelemetry openTelemetry, Tracer tracer) {
        return new KafkaTracing(openTelemetry, tracer);
    }

    @Bean
    @ConditionalOnMissingBean(Tracer.class)
    Tracer tracer(OpenTelemetry openTelemetry, Environment environment) {
        return openTelemetry.getTracer("io.ctxprop." + environment.getProperty("spring.application.name", "service"));
    }
}
