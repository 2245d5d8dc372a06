package io.ctxprop.telemetry.export;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.HttpResponse;
import io.opentelemetry.sdk.common.export.HttpSender;
import io.opentelemetry.sdk.common.export.MessageWriter;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Sends each body the OTLP exporter marshaled to every backend's lane: the spans are marshaled once,
 * however many backends get them. A batch counts as exported once every lane has started its send or
 * dropped it, as a collector's fan-out hands a batch to each exporter's queue, so the batch processor
 * never waits on one backend's network: each lane delivers, retries and drops on its own, and counts
 * what it did ({@link DeliveryLane}).
 */
final class FanOutHttpSender implements HttpSender {

    private static final HttpResponse TAKEN = new Taken();

    private final List<DeliveryLane> lanes;
    private final Duration drainOnShutdown;

    /** @param drainOnShutdown how long shutdown waits for the sends in flight (a sender's shutdown cancels them) */
    FanOutHttpSender(List<DeliveryLane> lanes, Duration drainOnShutdown) {
        this.lanes = List.copyOf(lanes);
        this.drainOnShutdown = drainOnShutdown;
    }

    @Override
    public void send(MessageWriter message, Consumer<HttpResponse> onResponse,
            Consumer<Throwable> onError) {
        BufferedBody body;
        try {
            body = BufferedBody.of(message);
        } catch (IOException | RuntimeException unmarshalable) {
            onError.accept(unmarshalable);
            return;
        }
        int spans = SpanCountingExporter.spansInExport();
        lanes.forEach(lane -> lane.deliver(body, spans));
        onResponse.accept(TAKEN);
    }

    @Override
    public CompletableResultCode shutdown() {
        long deadline = System.nanoTime() + drainOnShutdown.toNanos();
        for (DeliveryLane lane : lanes) {
            lane.awaitIdle(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
        return CompletableResultCode.ofAll(lanes.stream().map(DeliveryLane::shutdown).toList());
    }

    /** What the exporter is told: taken by every lane (an OTLP success carries no body it must read). */
    private static final class Taken implements HttpResponse {
        @Override
        public int getStatusCode() {
            return 200;
        }

        @Override
        public String getStatusMessage() {
            return "taken by every backend's lane";
        }

        @Override
        public byte[] getResponseBody() {
            return new byte[0];
        }
    }
}
