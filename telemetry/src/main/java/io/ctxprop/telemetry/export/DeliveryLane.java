package io.ctxprop.telemetry.export;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.HttpResponse;
import io.opentelemetry.sdk.common.export.HttpSender;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One backend's share of a fanned-out export: its own sender (with its endpoint, headers, retries and
 * timeout) and its own budget of bytes in flight. A backend that is slow or down fills only its own
 * budget; past it, its bodies are dropped and counted, and the other backends go on as before. Each kind
 * of trouble (failing sends, dropped bodies) is logged once until the backend takes a body again.
 */
final class DeliveryLane {

    private static final Logger LOGGER = LoggerFactory.getLogger(DeliveryLane.class);

    private final String name;
    private final String where;
    private final HttpSender sender;
    private final int budgetBytes;
    private final Semaphore budget;
    private final LaneMetrics metrics;
    private final AtomicBoolean failingLogged = new AtomicBoolean();
    private final AtomicBoolean droppingLogged = new AtomicBoolean();

    /**
     * @param name        the backend, as metrics and logs name it ({@code otlp}, {@code phoenix})
     * @param budgetBytes bodies this lane may hold while their sends are in flight (retries included); a
     *                    larger body still goes, alone
     */
    DeliveryLane(String name, URI endpoint, HttpSender sender, int budgetBytes, LaneMetrics metrics) {
        this.name = name;
        this.where = withoutSecrets(endpoint);
        this.sender = sender;
        this.budgetBytes = budgetBytes;
        this.budget = new Semaphore(budgetBytes);
        this.metrics = metrics;
    }

    /** Starts sending {@code body}, or drops it when the lane already holds its budget. Never waits. */
    void deliver(BufferedBody body, int spans) {
        int held = Math.min(budgetBytes, Math.max(1, body.getContentLength()));
        if (!budget.tryAcquire(held)) {
            metrics.dropped(name, spans);
            if (!droppingLogged.getAndSet(true)) {
                LOGGER.warn("Spans to {} ({}) are being dropped: {} bytes are still on their way there. Counted in ctxprop.export.spans.",
                        name, where, budgetBytes - budget.availablePermits());
            }
            return;
        }
        var ended = new AtomicBoolean();
        try {
            sender.send(body, response -> {
                if (!ended.getAndSet(true)) {
                    answered(held, spans, response);
                }
            }, error -> {
                if (!ended.getAndSet(true)) {
                    failed(held, spans, error.toString());
                }
            });
        } catch (RuntimeException refused) {
            if (!ended.getAndSet(true)) {
                failed(held, spans, refused.toString());
            }
        }
    }

    private void answered(int held, int spans, HttpResponse response) {
        budget.release(held);
        int status = response.getStatusCode();
        if (status < 200 || status >= 300) {
            failedAfterRelease(spans, "HTTP " + status);
            return;
        }
        metrics.delivered(name, spans);
        boolean wasFailing = failingLogged.getAndSet(false);
        boolean wasDropping = droppingLogged.getAndSet(false);
        if (wasFailing || wasDropping) {
            LOGGER.info("Spans reach {} ({}) again.", name, where);
        }
    }

    private void failed(int held, int spans, String reason) {
        budget.release(held);
        failedAfterRelease(spans, reason);
    }

    private void failedAfterRelease(int spans, String reason) {
        metrics.failed(name, spans);
        if (!failingLogged.getAndSet(true)) {
            LOGGER.warn("Spans to {} ({}) are failing: {}. Counted in ctxprop.export.spans.", name, where, reason);
        }
    }

    /** Waits until nothing is in flight, at most {@code wait}. */
    boolean awaitIdle(Duration wait) {
        try {
            if (budget.tryAcquire(budgetBytes, wait.toNanos(), TimeUnit.NANOSECONDS)) {
                budget.release(budgetBytes);
                return true;
            }
            return false;
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    CompletableResultCode shutdown() {
        return sender.shutdown();
    }

    /** Scheme, host, port and path: no user info or query, where a key could be. */
    static String withoutSecrets(URI endpoint) {
        String port = endpoint.getPort() == -1 ? "" : ":" + endpoint.getPort();
        return endpoint.getScheme() + "://" + endpoint.getHost() + port + (endpoint.getPath() == null ? "" : endpoint.getPath());
    }
}
