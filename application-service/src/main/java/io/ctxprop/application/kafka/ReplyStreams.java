package io.ctxprop.application.kafka;

import io.ctxprop.telemetry.web.TracedProblem;
import io.ctxprop.telemetry.SpanBaggage;
import io.opentelemetry.context.Context;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The streamed answers this instance is waiting for, by correlation id: the reply consumer routes their
 * records here before the one-reply {@link ReplyLedger}. An entry lives as long as its request waits,
 * and there are at most {@value #CAPACITY} (more at once is a 503, not an evicted stream). Of the
 * streams that ended whole, the last record believed is remembered (the newest {@value #CAPACITY}), so
 * that another last record arriving later is told apart: the same answer again, or a different one.
 */
final class ReplyStreams {

    static final int CAPACITY = 10_000;

    /** A stream that ended whole: its last record, and where its request was sent from. */
    record Ended(ReplyFingerprint lastReply, Context sentFrom) {
    }

    private final SpanBaggage spanBaggage;
    private final Map<String, ReplyStream> streams = new ConcurrentHashMap<>();
    private final Map<String, Ended> ended = Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Ended> eldest) {
            return size() > CAPACITY;
        }
    });

    /** @param spanBaggage what an ended stream keeps of its caller's baggage: the entries that reach spans */
    ReplyStreams(SpanBaggage spanBaggage) {
        this.spanBaggage = spanBaggage;
    }

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

    /**
     * The stream ended: its later records are dropped quietly, like another instance's, except a last
     * record of a stream that ended whole, which is compared with the one it ended with.
     */
    void close(String correlationId) {
        ReplyStream stream = streams.remove(correlationId);
        if (stream != null && stream.complete() && stream.lastReply() != null) {
            // only the span context and the baggage that reaches spans: the request's spans would keep its
            // prompt and answer in memory, a caller's whole baggage up to 8 KB for each of 10,000 entries
            ended.put(correlationId, new Ended(stream.lastReply(), spanBaggage.remembered(stream.sentFrom())));
        }
    }

    /** The stream of that correlation id that ended whole here, or null. */
    Ended ended(String correlationId) {
        return ended.get(correlationId);
    }

    int size() {
        return streams.size();
    }
}
