package io.ctxprop.application.kafka;

import io.ctxprop.telemetry.SpanRunner;
import io.ctxprop.telemetry.streaming.StreamHeaders;
import io.ctxprop.telemetry.streaming.StreamingAttributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One streamed answer on its way in. The reply consumer's thread offers each record ({@link #accept});
 * the pieces that are in order go into a queue that the request's thread drains ({@link #next}), so
 * nothing the reader does ever runs on the consumer's thread. One {@code process <reply topic>} span
 * covers the stream, from its first record to its last (or to the end of the wait).
 */
final class ReplyStream {

    private final Context sentFrom;
    private final boolean propagated;
    private final ChunkAssembler assembler = new ChunkAssembler();
    private final BlockingQueue<ChunkAssembler.Piece> pieces = new LinkedBlockingQueue<>();
    private Span span;
    private ReplyFingerprint lastReply;
    private long duplicates;
    private boolean spanEnded;
    private boolean abandoned;

    /**
     * @param sentFrom   the context the request was sent from: parent of the stream's span when no context travelled
     * @param propagated whether the request carried the trace context
     */
    ReplyStream(Context sentFrom, boolean propagated) {
        this.sentFrom = sentFrom;
        this.propagated = propagated;
    }

    boolean propagated() {
        return propagated;
    }

    Context sentFrom() {
        return sentFrom;
    }

    /**
     * On the consumer's thread: takes one record of the stream. The first record that belongs to the
     * stream starts its span ({@code startSpan}); a record without a usable {@code ctxprop-chunk-seq}
     * is invalid and changes nothing, and so does a conflicting last record.
     *
     * @param fingerprint the record's, for a last record (kept when it is the stream's first last record)
     */
    synchronized ChunkAssembler.Verdict accept(ConsumerRecord<String, String> record, ReplyFingerprint fingerprint,
            Supplier<Span> startSpan) {
        if (abandoned) {
            return ChunkAssembler.Verdict.LATE; // the wait is over: nothing starts a span any more
        }
        int seq = StreamHeaders.seq(record.headers());
        if (seq < 0) {
            return ChunkAssembler.Verdict.INVALID;
        }
        var offer = StreamHeaders.isSet(record.headers(), StreamHeaders.LAST) ? assembler.last(seq, record.value())
                : assembler.chunk(seq, record.value());
        if (offer.verdict() == ChunkAssembler.Verdict.INVALID || offer.verdict() == ChunkAssembler.Verdict.CONFLICTING) {
            return offer.verdict();
        }
        if (lastReply == null && fingerprint != null && offer.verdict() == ChunkAssembler.Verdict.ACCEPTED) {
            lastReply = fingerprint;
        }
        if (span == null) {
            span = startSpan.get();
            span.setAttribute(StreamingAttributes.STREAMED, true);
        }
        if (offer.verdict() == ChunkAssembler.Verdict.DUPLICATE) {
            duplicates++;
            if (!spanEnded) {
                span.setAttribute(StreamingAttributes.DUPLICATES, duplicates);
            }
            return offer.verdict();
        }
        for (ChunkAssembler.Piece piece : offer.released()) {
            if (piece instanceof ChunkAssembler.Chunk chunk && chunk.seq() == 0) {
                span.addEvent(StreamingAttributes.FIRST_CHUNK_EVENT);
            }
        }
        if (assembler.complete()) {
            span.setAttribute(TracedReplyingKafkaTemplate.REPLY_OUTCOME, "completed");
            endSpan(); // before the request's thread can see the last piece and end the root span
        }
        pieces.addAll(offer.released());
        return offer.verdict();
    }

    /** On the request's thread: the next piece in order, or null when none came within {@code timeout}. */
    ChunkAssembler.Piece next(Duration timeout) throws InterruptedException {
        return pieces.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The stream's last record, the one believed: null until it has come. */
    synchronized ReplyFingerprint lastReply() {
        return lastReply;
    }

    /** True once every chunk and the last record are in. */
    synchronized boolean complete() {
        return assembler.complete();
    }

    /** What the stream waits for, for the message of a 504. */
    synchronized String missing() {
        return assembler.missing();
    }

    /** On the request's thread, when the wait ends without the whole answer: the span says how ({@code cancelled} or failed). */
    synchronized void abandon(String outcome, Throwable failure) {
        abandoned = true;
        if (span == null || spanEnded) {
            return;
        }
        span.setAttribute(StreamingAttributes.OUTCOME, outcome);
        if (failure != null) {
            SpanRunner.markFailed(span, failure);
        }
        endSpan();
    }

    private void endSpan() {
        span.setAttribute(StreamingAttributes.CHUNKS, (long) assembler.chunksReleased());
        span.setAttribute(StreamingAttributes.DUPLICATES, duplicates);
        span.end();
        spanEnded = true;
    }
}
