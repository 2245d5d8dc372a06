package io.ctxprop.telemetry.metrics;

import static io.ctxprop.telemetry.attributes.TransportAttributes.TRANSPORT;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;

/** {@code ctxprop.context.not_propagated}: requests that arrived without a usable trace context, by transport (and, where known, the reason). */
public final class ContextMetrics {

    static final AttributeKey<String> REASON = AttributeKey.stringKey("reason");
    private final LongCounter notPropagated;

    public ContextMetrics(OpenTelemetry openTelemetry) {
        this.notPropagated = openTelemetry.getMeter("io.ctxprop.telemetry").counterBuilder("ctxprop.context.not_propagated")
                .setUnit("{request}").setDescription("Requests that arrived without a usable trace context").build();
    }

    public void notPropagated(String transport) {
        notPropagated.add(1, Attributes.of(TRANSPORT, transport));
    }

    /** @param reason what was wrong, e.g. {@code missing}, {@code invalid-traceparent}, {@code invalid-baggage} */
    public void notPropagated(String transport, String reason) {
        notPropagated.add(1, Attributes.of(TRANSPORT, transport, REASON, reason));
    }
}
