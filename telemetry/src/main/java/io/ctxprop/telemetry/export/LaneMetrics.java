package io.ctxprop.telemetry.export;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.MeterProvider;
import java.util.function.Supplier;

/**
 * {@code ctxprop.export.spans}: spans of a fanned-out export by backend ({@code lane}) and outcome
 * ({@code delivered}, {@code failed}, {@code dropped}). The SDK's own exporter metrics count a batch
 * when every backend has taken it, not when it arrived, so these say what each backend received.
 */
final class LaneMetrics {

    static final AttributeKey<String> LANE = AttributeKey.stringKey("lane");
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("outcome");

    private final Supplier<MeterProvider> meterProvider;
    /** Made on first use: the exporter is built before the meter provider it reports to. */
    private volatile LongCounter spans;

    LaneMetrics(Supplier<MeterProvider> meterProvider) {
        this.meterProvider = meterProvider;
    }

    void delivered(String lane, int count) {
        add(lane, "delivered", count);
    }

    void failed(String lane, int count) {
        add(lane, "failed", count);
    }

    void dropped(String lane, int count) {
        add(lane, "dropped", count);
    }

    private void add(String lane, String outcome, int count) {
        LongCounter counter = spans;
        if (counter == null) {
            counter = meterProvider.get().get("io.ctxprop.telemetry").counterBuilder("ctxprop.export.spans")
                    .setUnit("{span}").setDescription("Spans of a shared OTLP export, by backend and outcome").build();
            spans = counter;
        }
        counter.add(count, Attributes.of(LANE, lane, OUTCOME, outcome));
    }
}
