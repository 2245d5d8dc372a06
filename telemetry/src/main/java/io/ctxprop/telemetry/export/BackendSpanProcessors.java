package io.ctxprop.telemetry.export;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import io.opentelemetry.api.metrics.MeterProvider;

/**
 * One batch processor per configured LLM observability backend, added beside whatever the
 * standard {@code OTEL_TRACES_EXPORTER} configures. Batching follows the same {@code OTEL_BSP_*}
 * settings as the standard exporter (the SDK's defaults below; the services' own come with the
 * configuration, see OtelPropertyDefaults).
 */
public final class BackendSpanProcessors {

    static final AttributeKey<String> PROJECT_NAME = AttributeKey.stringKey("openinference.project.name");
    static final AttributeKey<String> ARIZE_MODEL_ID = AttributeKey.stringKey("model_id");

    private BackendSpanProcessors() {
    }

    /**
     * @param phoenixShared Phoenix already gets the standard OTLP exporter's batches ({@link SharedOtlpExport})
     * @param meterProvider where the processors report spans processed and dropped (read when first used)
     */
    public static List<SpanProcessor> configured(PhoenixProperties phoenix, boolean phoenixShared, ArizeProperties arize,
            ConfigProperties config, Supplier<MeterProvider> meterProvider) {
        List<SpanProcessor> processors = new ArrayList<>(2);
        if (phoenix.configured() && !phoenixShared) {
            processors.add(batched(phoenixExporter(phoenix), config, meterProvider));
        }
        if (arize.configured()) {
            processors.add(batched(arizeExporter(arize), config, meterProvider));
        }
        return processors;
    }

    static SpanExporter phoenixExporter(PhoenixProperties phoenix) {
        var exporter = OtlpHttpSpanExporter.builder().setEndpoint(phoenix.tracesUrl());
        phoenix.headers().forEach(exporter::addHeader);
        return new ProjectResourceSpanExporter(exporter.build(), phoenixResource(phoenix));
    }

    static Resource phoenixResource(PhoenixProperties phoenix) {
        return Resource.builder().put(PROJECT_NAME, phoenix.projectName()).build();
    }

    /** Arize's OTLP/gRPC endpoint reads the space and key from headers under both spellings it accepts. */
    static SpanExporter arizeExporter(ArizeProperties arize) {
        var exporter = OtlpGrpcSpanExporter.builder()
                .setEndpoint(arize.collectorEndpoint())
                .addHeader("space_id", arize.spaceId().strip())
                .addHeader("api_key", arize.apiKey().strip())
                .addHeader("arize-space-id", arize.spaceId().strip())
                .addHeader("authorization", arize.apiKey().strip())
                .addHeader("arize-interface", "otel")
                .build();
        return new ProjectResourceSpanExporter(exporter, Resource.builder()
                .put(PROJECT_NAME, arize.projectName())
                .put(ARIZE_MODEL_ID, arize.modelId())
                .build());
    }

    static SpanProcessor batched(SpanExporter exporter, ConfigProperties config, Supplier<MeterProvider> meterProvider) {
        return BatchSpanProcessor.builder(exporter)
                .setMeterProvider(meterProvider)
                .setScheduleDelay(config.getDuration("otel.bsp.schedule.delay", Duration.ofSeconds(5)))
                .setMaxQueueSize(config.getInt("otel.bsp.max.queue.size", 2048))
                .setMaxExportBatchSize(config.getInt("otel.bsp.max.export.batch.size", 512))
                .setExporterTimeout(config.getDuration("otel.bsp.export.timeout", Duration.ofSeconds(30)))
                .build();
    }
}
