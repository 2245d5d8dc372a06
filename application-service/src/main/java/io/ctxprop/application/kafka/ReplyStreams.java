package io.ctxprop.application.kafka;

import io.ctxprop.telemetry.web.TracedProblem;
import io.opentelemetry.context.Context;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The streamed answers this instance is waiting for, by correlation id: the reply consumer routes their
 * records here before the one-reply {@link ReplyLedger}. An entry lives as long as its request waits,
 * and there are at most {@value #CAPACITY} (more at once is a 503, not an evicted stream).
 */
final class ReplyStreams {

    static final int CAPACITY = 10_000;

    private final Map<String, ReplyStream> streams = new ConcurrentHashMap<>();

    ReplyStream open(String correlationId, Context sentFrom, boolean propagated) {
        if (streams.size() >= CAPACITY) {
            throw new TracedProblem(503, "Too many streams", "This instance is already waiting for " + CAPACITY + " streamed answers.");
        }
        ReplyStream stream = new ReplyStream(sentFrom, propagated);
        streams.put(correlationId, stream);
        return stream;
    }

    /** The waiting stream of that correlation id, or null (another instance's, an ended one, or not a stream). */
    ReplyStream get(String correlationId) {
        return streams.get(correlationId);
    }

    /** The stream ended: its later records are dropped quietly, like another instance's. */
    void close(String correlationId) {
        streams.remove(correlationId);
    }

    int size() {
        return streams.size();
    }
}
