package io.ctxprop.gateway.kafka;

import io.ctxprop.gateway.completion.StreamCancellation;
import io.ctxprop.telemetry.kafka.KafkaTracing;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.springframework.kafka.support.KafkaHeaders;

/**
 * The streamed requests this gateway is answering, by {@link StreamId} (correlation id, key and reply
 * topic), so a cancel record can stop the model call of its request, and only of its request: a
 * cancel that knows the correlation id alone (read off a reply, say) but not the key and reply topic
 * the request was sent with stops nothing. A request is registered on the listener thread when it is
 * taken (before the cancel that follows it on its partition can be delivered) and removed when it
 * ends. Bounded: past {@code capacity} a stream still runs, but cannot be cancelled.
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

    private final Map<StreamId, List<StreamCancellation>> byId = new HashMap<>();
    private final int capacity;
    private int size;

    InFlightStreams(int capacity) {
        this.capacity = capacity;
    }

    /** @return the request's cancellation; registered unless the id is null or the registry is full */
    synchronized StreamCancellation register(StreamId id) {
        var cancellation = new StreamCancellation();
        if (id != null && size < capacity) {
            byId.computeIfAbsent(id, key -> new ArrayList<>(1)).add(cancellation);
            size++;
        }
        return cancellation;
    }

    /** The request has ended: forgotten. */
    synchronized void end(StreamId id, StreamCancellation cancellation) {
        if (id == null) {
            return;
        }
        List<StreamCancellation> streams = byId.get(id);
        if (streams != null && streams.remove(cancellation)) {
            size--;
            if (streams.isEmpty()) {
                byId.remove(id);
            }
        }
    }

    /** @return whether a stream of that id was in flight here (it is cancelled) */
    boolean cancel(StreamId id) {
        List<StreamCancellation> toCancel;
        synchronized (this) {
            List<StreamCancellation> streams = id == null ? null : byId.get(id);
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
            byId.values().forEach(toCancel::addAll);
        }
        toCancel.forEach(StreamCancellation::cancel);
    }

    synchronized int size() {
        return size;
    }
}
