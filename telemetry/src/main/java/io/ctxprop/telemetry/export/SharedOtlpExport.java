package io.ctxprop.telemetry.export;

import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.common.ComponentLoader;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.common.export.HttpSender;
import io.opentelemetry.sdk.common.export.HttpSenderConfig;
import io.opentelemetry.sdk.common.export.HttpSenderProvider;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When spans go both to the standard OTLP/HTTP exporter (the trace inspector, a collector) and to
 * Phoenix, they are marshaled once and the same body is sent to both: Phoenix becomes a second lane of
 * the OTLP exporter's sender ({@link FanOutHttpSender}) instead of a batch processor and exporter of its
 * own. Marshaling and writing the spans was most of a traced gateway's export cost, 10.6 % of its CPU
 * samples for two backends (docs/performance). Phoenix's project travels on the tracer provider's
 * resource, so the OTLP endpoint sees it too. Without the standard exporter, or with OTLP over gRPC or JSON, Phoenix
 * keeps its own processor.
 */
public final class SharedOtlpExport {

    private static final Logger LOGGER = LoggerFactory.getLogger(SharedOtlpExport.class);

    /**
     * Bytes of bodies a lane may hold while their sends are in flight, per span its batch processor may
     * queue ({@code otel.bsp.max.queue.size}): a queued span of ours is about 1 KB (OtelPropertyDefaults),
     * so a backend that is down holds about what its own processor's full queue did, 16 MB by default.
     */
    static final int LANE_BYTES_PER_QUEUED_SPAN = 1024;
    /** Shutdown waits this long at most for the last sends (the SDK gives a whole shutdown 10 s). */
    static final Duration MAX_DRAIN = Duration.ofSeconds(5);

    private final PhoenixProperties phoenix;
    private final LaneMetrics metrics;
    private volatile boolean phoenixShared;

    public SharedOtlpExport(PhoenixProperties phoenix, Supplier<MeterProvider> meterProvider) {
        this.phoenix = phoenix;
        this.metrics = new LaneMetrics(meterProvider);
    }

    /** For the SDK's span exporter customizer: the OTLP/HTTP protobuf exporter, rebuilt to send to Phoenix as well. */
    public SpanExporter customize(SpanExporter exporter, ConfigProperties config) {
        // Phoenix takes protobuf: an OTLP exporter over HTTP with JSON keeps Phoenix on its own processor
        if (phoenixShared || !phoenix.configured() || !(exporter instanceof OtlpHttpSpanExporter otlp)
                || !"http/protobuf".equals(InProcessExport.tracesProtocol(config))) {
            return exporter;
        }
        long budget = (long) config.getInt("otel.bsp.max.queue.size", 2048) * LANE_BYTES_PER_QUEUED_SPAN;
        SpanExporter shared = otlp.toBuilder().setComponentLoader(new FanOutLoader(ComponentLoader.forClassLoader(
                SharedOtlpExport.class.getClassLoader()), (int) Math.min(Integer.MAX_VALUE, budget))).build();
        otlp.shutdown();
        phoenixShared = true;
        LOGGER.info("Spans for the OTLP endpoint and for Phoenix are marshaled once and sent to both.");
        return new SpanCountingExporter(shared);
    }

    /** Whether Phoenix rides on the OTLP exporter (then it needs no processor of its own). Known once the exporters are built. */
    public boolean phoenixShared() {
        return phoenixShared;
    }

    /**
     * Phoenix's project for the tracer provider's resource, when Phoenix rides on the OTLP exporter: the
     * two backends get the same bytes, so the OTLP endpoint sees the project too. Traces only: metrics and
     * logs keep the service's own resource.
     */
    public Optional<Resource> sharedProject() {
        return phoenixShared ? Optional.of(BackendSpanProcessors.phoenixResource(phoenix)) : Optional.empty();
    }

    /**
     * Hands the OTLP exporter a sender provider that fans out over the real one on the class path (the
     * first found: the SDK tells providers apart by class name, and every wrapper has the same one).
     */
    private final class FanOutLoader implements ComponentLoader {
        private final ComponentLoader classPath;
        private final int laneBudgetBytes;

        FanOutLoader(ComponentLoader classPath, int laneBudgetBytes) {
            this.classPath = classPath;
            this.laneBudgetBytes = laneBudgetBytes;
        }

        @Override
        public <T> Iterable<T> load(Class<T> type) {
            Iterable<T> found = classPath.load(type);
            if (type != HttpSenderProvider.class) {
                return found;
            }
            Iterator<T> providers = found.iterator();
            return providers.hasNext()
                    ? List.of(type.cast(new FanOutProvider((HttpSenderProvider) providers.next(), laneBudgetBytes)))
                    : List.of();
        }
    }

    private final class FanOutProvider implements HttpSenderProvider {
        private final HttpSenderProvider real;
        private final int laneBudgetBytes;

        FanOutProvider(HttpSenderProvider real, int laneBudgetBytes) {
            this.real = real;
            this.laneBudgetBytes = laneBudgetBytes;
        }

        @Override
        public HttpSender createSender(HttpSenderConfig otlp) {
            var phoenixConfig = new PhoenixSenderConfig(otlp, phoenix);
            var lanes = List.of(
                    new DeliveryLane("otlp", otlp.getEndpoint(), real.createSender(otlp), laneBudgetBytes, metrics),
                    new DeliveryLane("phoenix", phoenixConfig.getEndpoint(), real.createSender(phoenixConfig), laneBudgetBytes, metrics));
            Duration timeout = otlp.getTimeout();
            return new FanOutHttpSender(lanes, timeout.compareTo(MAX_DRAIN) < 0 ? timeout : MAX_DRAIN);
        }
    }
}
