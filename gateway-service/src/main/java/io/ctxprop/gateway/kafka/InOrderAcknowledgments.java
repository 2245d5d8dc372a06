package io.ctxprop.gateway.kafka;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.springframework.kafka.support.Acknowledgment;

/**
 * Hands the listener container each partition's acknowledgments in offset order, whatever order the
 * requests finish in, so a committed offset never passes a request still being answered.
 * <p>
 * Spring Kafka's own out-of-order acknowledgments ({@code async-acks}) pause the consumer until every
 * record of the last poll is acknowledged: one slow answer then holds back every request behind it,
 * and the gateway answers in waves. Ordering the acknowledgments here keeps the at-least-once
 * guarantee without the pause: records keep flowing, and the committed offset advances as the
 * oldest request finishes.
 * <p>
 * Bounded: a partition holding {@code maxPending} records not yet acknowledged (in flight, or
 * answered and waiting for an older one) is paused, and resumed once half of them are gone, so a
 * stalled model cannot grow the heap. The records of the poll that reached the cap are still handed
 * over, so a partition holds at most {@code maxPending + max.poll.records - 1}. Pausing and resuming
 * happen on the consumer thread, outside {@code poll()}, straight on the {@link Consumer}: Spring's
 * {@code resumePartition} from another thread wakes the consumer up, and a wake-up that lands on a
 * commit makes Spring drop the offsets it was committing. A revoked partition's state is dropped at
 * revocation: an acknowledgment that comes later for one of its records is ignored, so it can never
 * move the commit of a partition another consumer now owns, forwards or backwards.
 */
final class InOrderAcknowledgments {

    private final Map<TopicPartition, Partition> partitions = new ConcurrentHashMap<>();
    private final Set<TopicPartition> toResume = ConcurrentHashMap.newKeySet();
    private final int maxPending;
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicInteger paused = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();

    InOrderAcknowledgments(int maxPending) {
        this.maxPending = maxPending;
    }

    /**
     * Called on the consumer thread, in delivery order, with the consumer that delivered the record.
     * Returns what to run once the record has ended (answered or dead-lettered). A record at or below
     * the last offset seen on its partition means the partition is being read again from its committed
     * offset: the old state is dropped as at a revocation (those records come again).
     */
    Runnable track(ConsumerRecord<?, ?> record, Acknowledgment acknowledgment, Consumer<?, ?> consumer) {
        var topicPartition = new TopicPartition(record.topic(), record.partition());
        Partition partition = partitions.compute(topicPartition, (key, known) -> {
            if (known != null && record.offset() > known.lastOffset) {
                return known;
            }
            if (known != null) {
                known.revoke();
            }
            return new Partition(key);
        });
        Pending entry = partition.add(record.offset(), acknowledgment, consumer);
        return () -> partition.ended(entry);
    }

    /**
     * Resumes the partitions of this consumer that were paused at the cap and have drained since.
     * Called on the consumer thread, outside {@code poll()}: before each record it delivers, and when
     * the container reports it idle (a consumer whose every partition is paused delivers nothing).
     */
    void resumeDrained(Consumer<?, ?> consumer) {
        if (toResume.isEmpty()) {
            return;
        }
        Set<TopicPartition> assigned = consumer.assignment();
        for (TopicPartition topicPartition : toResume) {
            Partition partition = partitions.get(topicPartition);
            if (partition == null) {
                toResume.remove(topicPartition); // revoked meanwhile: its pause went with the assignment
            } else if (assigned.contains(topicPartition)) {
                toResume.remove(topicPartition);
                partition.resumeIfDrained(consumer);
            }
        }
    }

    /**
     * Waits up to {@code timeout} until every record taken from these partitions has ended (their
     * acknowledgments then reach the container before it commits for the revocation), then drops
     * their state. Called on the consumer thread when the partitions are revoked.
     */
    void revokeWhenEnded(Collection<TopicPartition> revoked, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (TopicPartition topicPartition : revoked) {
            Partition partition = partitions.get(topicPartition);
            if (partition != null) {
                partition.awaitEmpty(deadline);
            }
        }
        revoke(revoked);
    }

    /**
     * Drops the partitions' state at once (partitions lost, or the wait for them is over). A pause
     * needs no undoing: the consumer forgets it with the assignment.
     */
    void revoke(Collection<TopicPartition> revoked) {
        for (TopicPartition topicPartition : revoked) {
            Partition partition = partitions.remove(topicPartition);
            toResume.remove(topicPartition);
            if (partition != null) {
                partition.revoke();
            }
        }
    }

    /** Records taken and not yet acknowledged, over all partitions. */
    int pending() {
        return pending.get();
    }

    /** Records taken and not yet acknowledged on one partition. */
    int pending(TopicPartition topicPartition) {
        Partition partition = partitions.get(topicPartition);
        return partition == null ? 0 : partition.size();
    }

    /** The most records one partition has held not yet acknowledged, since start. */
    int peakPending() {
        return peak.get();
    }

    /** Whether this partition is paused because it reached the cap. */
    boolean paused(TopicPartition topicPartition) {
        Partition partition = partitions.get(topicPartition);
        return partition != null && partition.pausedHere();
    }

    /** Partitions paused because they reached the cap. */
    int pausedPartitions() {
        return paused.get();
    }

    private static final class Pending {
        private final Acknowledgment acknowledgment;
        private boolean ended;

        Pending(Acknowledgment acknowledgment) {
            this.acknowledgment = acknowledgment;
        }
    }

    private final class Partition {
        private final TopicPartition topicPartition;
        private final ArrayDeque<Pending> inOffsetOrder = new ArrayDeque<>();
        private volatile long lastOffset = -1;
        private boolean pausedHere;
        private boolean revoked;

        Partition(TopicPartition topicPartition) {
            this.topicPartition = topicPartition;
        }

        /** On the consumer thread: the record is taken, and the partition paused if that reaches the cap. */
        synchronized Pending add(long offset, Acknowledgment acknowledgment, Consumer<?, ?> consumer) {
            lastOffset = offset;
            var entry = new Pending(acknowledgment);
            inOffsetOrder.addLast(entry);
            pending.incrementAndGet();
            peak.accumulateAndGet(inOffsetOrder.size(), Math::max);
            if (!pausedHere && inOffsetOrder.size() >= maxPending) {
                pausedHere = true;
                paused.incrementAndGet();
                consumer.pause(List.of(topicPartition));
            }
            return entry;
        }

        /** On the consumer thread: resumes the partition if it is still paused and has drained to half the cap. */
        synchronized void resumeIfDrained(Consumer<?, ?> consumer) {
            if (pausedHere && !revoked && inOffsetOrder.size() <= maxPending / 2) {
                pausedHere = false;
                paused.decrementAndGet();
                consumer.resume(List.of(topicPartition));
            }
        }

        synchronized boolean pausedHere() {
            return pausedHere;
        }

        /**
         * Acknowledges the oldest records that have ended, up to the first one that has not. Inside
         * the lock, so an acknowledgment is either handed over before a revocation or not at all.
         */
        synchronized void ended(Pending entry) {
            if (revoked) {
                return;
            }
            entry.ended = true;
            while (!inOffsetOrder.isEmpty() && inOffsetOrder.peekFirst().ended) {
                inOffsetOrder.removeFirst().acknowledgment.acknowledge();
                pending.decrementAndGet();
            }
            if (pausedHere && inOffsetOrder.size() <= maxPending / 2) {
                toResume.add(topicPartition); // by the consumer thread: see the class comment
            }
            if (inOffsetOrder.isEmpty()) {
                notifyAll();
            }
        }

        synchronized int size() {
            return inOffsetOrder.size();
        }

        synchronized void awaitEmpty(long deadline) throws InterruptedException {
            long left;
            while (!revoked && !inOffsetOrder.isEmpty() && (left = deadline - System.nanoTime()) > 0) {
                Duration wait = Duration.ofNanos(left);
                wait(Math.max(1, wait.toMillis()));
            }
        }

        synchronized void revoke() {
            if (revoked) {
                return;
            }
            revoked = true;
            pending.addAndGet(-inOffsetOrder.size());
            inOffsetOrder.clear();
            if (pausedHere) {
                pausedHere = false;
                paused.decrementAndGet();
            }
            notifyAll();
        }
    }
}
