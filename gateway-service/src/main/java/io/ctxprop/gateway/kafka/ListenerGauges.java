package io.ctxprop.gateway.kafka;

import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.ObservableLongUpDownCounter;
import java.util.List;

/** The listener's load as metrics: requests in flight, records not yet committed, partitions paused at the cap. */
final class ListenerGauges implements AutoCloseable {

    private final List<ObservableLongUpDownCounter> instruments;

    ListenerGauges(Meter meter, RequestListener listener, InOrderAcknowledgments acknowledgments) {
        instruments = List.of(
                meter.upDownCounterBuilder("ctxprop.kafka.listener.in_flight").setUnit("{request}")
                        .setDescription("Kafka requests being answered").buildWithCallback(m -> m.record(listener.inFlight())),
                meter.upDownCounterBuilder("ctxprop.kafka.listener.pending").setUnit("{record}")
                        .setDescription("Request records taken and not yet acknowledged (in flight, or answered and waiting for an older one)")
                        .buildWithCallback(m -> m.record(acknowledgments.pending())),
                meter.upDownCounterBuilder("ctxprop.kafka.listener.paused_partitions").setUnit("{partition}")
                        .setDescription("Partitions paused because they hold llm.kafka.listener.max-pending records")
                        .buildWithCallback(m -> m.record(acknowledgments.pausedPartitions())));
    }

    @Override
    public void close() {
        instruments.forEach(ObservableLongUpDownCounter::close);
    }
}
