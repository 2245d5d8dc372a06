package io.ctxprop.gateway.kafka;

import io.ctxprop.gateway.process.AnswerSink;
import io.ctxprop.telemetry.SpanRunner;
import io.ctxprop.telemetry.kafka.KafkaTracing;
import io.ctxprop.telemetry.streaming.StreamHeaders;
import io.ctxprop.telemetry.streaming.StreamingAttributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.time.Duration;
import java.util.LinkedHashMap;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.kafka.support.KafkaHeaders;
import tools.jackson.databind.json.JsonMapper;

/**
 * The reply records of one streamed request, inside one {@code send <reply topic>} PRODUCER span
 * (a child of the request's {@code process} span, started with the first record and ended once the
 * last one is on the broker): chunk records {@code {"chunk","seq"}} sent as the model writes them
 * (what it wrote within one {@link ChunkWindow} window in one record, the first piece at once), then
 * the last record, with {@code ctxprop-last} and the number of chunk records before it. Every record
 * carries the request's correlation id, the same key (so they share a partition) and the span's
 * context.
 */
final class ReplyStream implements AnswerSink {

    private final KafkaRequest request;
    private final String conversationId;
    private final Context parent;
    private final ReplyProducer producer;
    private final KafkaTracing tracing;
    private final JsonMapper json;
    private final ChunkSends chunks;
    private final ChunkWindow window;
    private Span span;
    private boolean lastSent;

    ReplyStream(KafkaRequest request, Context parent, ReplyProducer producer, KafkaTracing tracing, JsonMapper json,
            Duration coalesce, ChunkWindow.Timer timer) {
        this.request = request;
        this.conversationId = KafkaTracing.conversationId(request.correlationId());
        this.parent = parent;
        this.producer = producer;
        this.tracing = tracing;
        this.json = json;
        this.chunks = new ChunkSends(producer::send, producer.sendTimeout());
        this.window = new ChunkWindow(coalesce, timer, System::nanoTime, this::sendChunk);
    }

    @Override
    public void piece(String text) {
        window.piece(text);
    }

    /** One chunk record, sent without waiting; called with the window's lock held, in order. */
    private void sendChunk(String text) {
        int seq = chunks.count();
        var value = new LinkedHashMap<String, Object>();
        value.put("chunk", text);
        value.put("seq", seq);
        var record = record(json.writeValueAsBytes(value));
        StreamHeaders.setSeq(record.headers(), seq);
        chunks.send(record);
        if (seq == 0) {
            span.addEvent(StreamingAttributes.FIRST_CHUNK_EVENT);
        }
    }

    /**
     * Every chunk on the broker (those whose send failed sent again), then the last record; returns
     * once the broker has it. Called again after a failure, it sends only what is still missing.
     */
    void finish(byte[] last) {
        window.close();
        chunks.awaitAll();
        if (lastSent) {
            return;
        }
        var record = record(last);
        StreamHeaders.set(record.headers(), StreamHeaders.LAST);
        StreamHeaders.setSeq(record.headers(), chunks.count());
        tracing.sent(span, producer.sendAndWait(record));
        lastSent = true;
    }

    /** Ends the span (as failed when the stream could not be finished). */
    void end(Throwable failure) {
        window.close(); // a stream that failed before finish: what the model wrote still goes, as before
        if (span == null) {
            return;
        }
        span.setAttribute(StreamingAttributes.CHUNKS, (long) chunks.count());
        if (failure != null) {
            SpanRunner.markFailed(span, failure);
        }
        span.end();
    }

    private ProducerRecord<String, byte[]> record(byte[] value) {
        var record = new ProducerRecord<>(request.replyTopic(), request.replyPartition(), conversationId, value);
        record.headers().add(KafkaHeaders.CORRELATION_ID, request.correlationId());
        if (span == null) {
            try (Scope ignored = parent.makeCurrent()) {
                span = tracing.startSend(record, conversationId);
                span.setAttribute(StreamingAttributes.STREAMED, true);
            }
        }
        tracing.inject(span, record.headers());
        return record;
    }

}
