package io.ctxprop.gateway.kafka;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.springframework.kafka.support.Acknowledgment;

/**
 * Hands the listener container each partition's acknowledgments in offset order, whatever order the
 * requests finish in, so a committed offset never passes a request still being answered.
 * <p>
 * Spring Kafka's own out-of-order acknowledgments ({@code async-acks}) pause the consumer until every
 * record of the last poll is acknowledged: one slow answer then holds back every request behind it,
 * and the gateway answers in waves (the benchmark's Kafka path waited ~100 ms per request for the
 * wave before it). Ordering the acknowledgments here keeps the at-least-once guarantee without the
 * pause: records keep flowing, and the committed offset advances as the oldest request finishes.
 */
final class InOrderAcknowledgments {

    private final Map<TopicPartition, Partition> partitions = new ConcurrentHashMap<>();

    /**
     * Called on the consumer thread, in delivery order. Returns what to run once the record is
     * answered. A record at or below the last offset seen on its partition means the partition was
     * assigned again and is read from its committed offset: what was pending before is forgotten
     * (those records come again).
     */
    Runnable track(ConsumerRecord<?, ?> record, Acknowledgment acknowledgment) {
        var topicPartition = new TopicPartition(record.topic(), record.partition());
        Partition partition = partitions.compute(topicPartition,
                (key, known) -> known == null || record.offset() <= known.lastOffset ? new Partition() : known);
        Pending pending = partition.add(record.offset(), acknowledgment);
        return () -> partition.answered(pending);
    }

    private static final class Pending {
        private final Acknowledgment acknowledgment;
        private boolean answered;

        Pending(Acknowledgment acknowledgment) {
            this.acknowledgment = acknowledgment;
        }
    }

    private static final class Partition {
        private final ArrayDeque<Pending> inOffsetOrder = new ArrayDeque<>();
        private volatile long lastOffset = -1;

        synchronized Pending add(long offset, Acknowledgment acknowledgment) {
            lastOffset = offset;
            var pending = new Pending(acknowledgment);
            inOffsetOrder.addLast(pending);
            return pending;
        }

        /** Acknowledges the oldest requests that are answered, up to the first one that is not. */
        synchronized void answered(Pending pending) {
            pending.answered = true;
            while (!inOffsetOrder.isEmpty() && inOffsetOrder.peekFirst().answered) {
                inOffsetOrder.removeFirst().acknowledgment.acknowledge();
            }
        }
    }
}
