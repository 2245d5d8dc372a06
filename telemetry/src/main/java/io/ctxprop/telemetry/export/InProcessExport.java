package io.ctxprop.telemetry.export;

import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.trace.SpanProcessor;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service that receives its own spans in-process ({@link InProcessSpanExporter}) does not also
 * export them to itself: when the OTLP trace endpoint is this service's own port on the loopback
 * interface, OTLP is taken out of the trace exporters. Any other endpoint (a real collector) still
 * gets the spans over OTLP as well.
 */
public final class InProcessExport {

    private static final Logger LOGGER = LoggerFactory.getLogger(InProcessExport.class);
    private static final String EXPORTERS = "otel.traces.exporter";

    private InProcessExport() {
    }

    /** One batch processor per in-process exporter, batched like the OTLP exporter. */
    public static List<SpanProcessor> processors(List<? extends InProcessSpanExporter> exporters, ConfigProperties config,
            Supplier<MeterProvider> meterProvider) {
        return exporters.stream().map(exporter -> BackendSpanProcessors.batched(exporter, config, meterProvider)).toList();
    }

    /** Overrides for SDK autoconfigure: the trace exporters without OTLP when OTLP points at this service. */
    public static Map<String, String> withoutExportToSelf(ConfigProperties config, int ownPort) {
        List<String> exporters = config.getList(EXPORTERS, List.of("otlp"));
        String endpoint = tracesEndpoint(config);
        if (!exporters.contains("otlp") || !isSelf(endpoint, ownPort)) {
            return Map.of();
        }
        List<String> others = exporters.stream().filter(exporter -> !exporter.equals("otlp")).toList();
        LOGGER.info("The OTLP trace endpoint {} is this service itself: its own spans reach its trace inspector in-process, "
                + "not over OTLP. Other services still export there.", endpoint);
        return Map.of(EXPORTERS, others.isEmpty() ? "none" : String.join(",", others));
    }

    /** The endpoint the SDK's OTLP span exporter sends to, by its own precedence and defaults. */
    static String tracesEndpoint(ConfigProperties config) {
        String endpoint = config.getString("otel.exporter.otlp.traces.endpoint", config.getString("otel.exporter.otlp.endpoint"));
        if (endpoint != null) {
            return endpoint;
        }
        return tracesProtocol(config).equals("grpc") ? "http://localhost:4317" : "http://localhost:4318";
    }

    /** The protocol the SDK's OTLP span exporter speaks, by its own precedence and default. */
    static String tracesProtocol(ConfigProperties config) {
        return config.getString("otel.exporter.otlp.traces.protocol", config.getString("otel.exporter.otlp.protocol", "grpc"));
    }

    static boolean isSelf(String endpoint, int ownPort) {
        try {
            URI uri = new URI(endpoint.strip());
            String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
            int port = uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
            boolean loopback = host.equals("localhost") || host.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}") || host.equals("[::1]");
            return loopback && port == ownPort;
        } catch (URISyntaxException notAUri) {
            return false;
        }
    }
}
