package io.ctxprop.gateway.kafka;

import io.ctxprop.gateway.completion.StreamCancellation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The streamed requests this gateway is answering, by correlation id, so a cancel record can stop
 * the model call of its request. A request is registered on the listener thread when it is taken
 * (before the cancel that follows it on its partition can be delivered) and removed when it ends.
 * Bounded: past {@code capacity} a stream still runs, but cannot be cancelled.
 */
final class InFlightStreams {

    private final Map<String, List<StreamCancellation>> byCorrelationId = new HashMap<>();
    private final int capacity;
    private int size;

    InFlightStreams(int capacity) {
        this.capacity = capacity;
    }

    /** @return the request's cancellation; registered unless the id is null or the registry is full */
    synchronized StreamCancellation register(String correlationId) {
        var cancellation = new StreamCancellation();
        if (correlationId != null && size < capacity) {
            byCorrelationId.computeIfAbsent(correlationId, id -> new ArrayList<>(1)).add(cancellation);
            size++;
        }
        return cancellation;
    }

    /** The request has ended: forgotten. */
    synchronized void end(String correlationId, StreamCancellation cancellation) {
        if (correlationId == null) {
            return;
        }
        List<StreamCancellation> streams = byCorrelationId.get(correlationId);
        if (streams != null && streams.remove(cancellation)) {
            size--;
            if (streams.isEmpty()) {
                byCorrelationId.remove(correlationId);
            }
        }
    }

    /** @return whether a stream of that correlation id was in flight here (it is cancelled) */
    boolean cancel(String correlationId) {
        List<StreamCancellation> toCancel;
        synchronized (this) {
            List<StreamCancellation> streams = correlationId == null ? null : byCorrelationId.get(correlationId);
            if (streams == null) {
                return false;
            }
            toCancel = List.copyOf(streams);
        }
        toCancel.forEach(StreamCancellation::cancel);
        return true;
    }

    /** The gateway is closing: every model call still streaming stops. */
    void cancelAll() {
        List<StreamCancellation> toCancel = new ArrayList<>();
        synchronized (this) {
            byCorrelationId.values().forEach(toCancel::addAll);
        }
        toCancel.forEach(StreamCancellation::cancel);
    }

    synchronized int size() {
        return size;
    }
}
