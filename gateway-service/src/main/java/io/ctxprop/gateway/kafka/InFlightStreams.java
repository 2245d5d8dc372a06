package io.ctxprop.gateway.kafka;

import io.ctxprop.gateway.completion.StreamCancellation;
import io.ctxprop.telemetry.kafka.KafkaTracing;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.springframework.kafka.support.KafkaHeaders;

/**
 * The streamed requests this gateway is answering, by {@link StreamId} (correlation id, key and reply
 * topic), each with the {@code ctxprop-cancel-token} its request carried, so a cancel record can stop
 * the model call of its request, and only of its request: a cancel must match the id and carry the
 * same token (compared in constant time). Everything in the id can be read off a reply; the token
 * cannot (it is never copied onto a reply or a dead letter), so only the sender can cancel. A request
 * without a token cannot be cancelled (only the gateway closing stops it). A request is registered on
 * the listener thread when it is taken (before the cancel that follows it on its partition can be
 * delivered) and removed when it ends. Bounded: past {@code capacity} a stream still runs, but cannot
 * be cancelled.
 */
final class InFlightStreams {

    /**
     * What a cancel must match of its request: the correlation id, the record key and the reply topic
     * (the default reply topic when the record names none), as the request and its cancel both carry them.
     */
    record StreamId(String correlationId, String key, String replyTopic) {

        static StreamId of(ConsumerRecord<String, ?> record, String defaultReplyTopic) {
            String correlationId = KafkaTracing.conversationId(record);
            if (correlationId == null) {
                return null;
            }
            Header replyTopic = record.headers().lastHeader(KafkaHeaders.REPLY_TOPIC);
            return new StreamId(correlationId, record.key(), replyTopic == null || replyTopic.value() == null ? defaultReplyTopic
                    : new String(replyTopic.value(), StandardCharsets.UTF_8));
        }
    }

    /** A registered stream: its request's cancel token (null: none) and what stops it. */
    private record InFlight(byte[] token, StreamCancellation cancellation) {
    }

    private final Map<StreamId, List<InFlight>> byId = new HashMap<>();
    private final int capacity;
    private int size;

    InFlightStreams(int capacity) {
        this.capacity = capacity;
    }

    /**
     * @param token the request's {@code ctxprop-cancel-token}, null when it has none
     * @return the request's cancellation; registered unless the id is null or the registry is full
     */
    synchronized StreamCancellation register(StreamId id, byte[] token) {
        var cancellation = new StreamCancellation();
        if (id != null && size < capacity) {
            byId.computeIfAbsent(id, key -> new ArrayList<>(1)).add(new InFlight(token == null ? null : token.clone(), cancellation));
            size++;
        }
        return cancellation;
    }

    /** The request has ended: forgotten. */
    synchronized void end(StreamId id, StreamCancellation cancellation) {
        if (id == null) {
            return;
        }
        List<InFlight> streams = byId.get(id);
        if (streams != null && streams.removeIf(stream -> stream.cancellation() == cancellation)) {
            size--;
            if (streams.isEmpty()) {
                byId.remove(id);
            }
        }
    }

    /**
     * @param token the cancel record's {@code ctxprop-cancel-token}; without one nothing is cancelled
     * @return whether a stream of that id and token was in flight here (it is cancelled)
     */
    boolean cancel(StreamId id, byte[] token) {
        if (id == null || token == null) {
            return false;
        }
        List<StreamCancellation> toCancel;
        synchronized (this) {
            List<InFlight> streams = byId.getOrDefault(id, List.of());
            toCancel = streams.stream().filter(stream -> stream.token() != null && MessageDigest.isEqual(stream.token(), token))
                    .map(InFlight::cancellation).toList();
        }
        toCancel.forEach(StreamCancellation::cancel);
        return !toCancel.isEmpty();
    }

    /** The gateway is closing: every model call still streaming stops. */
    void cancelAll() {
        List<StreamCancellation> toCancel = new ArrayList<>();
        synchronized (this) {
            byId.values().forEach(streams -> streams.forEach(stream -> toCancel.add(stream.cancellation())));
        }
        toCancel.forEach(StreamCancellation::cancel);
    }

    synchronized int size() {
        return size;
    }
}
