package io.ctxprop.gateway.kafka;

import io.opentelemetry.api.trace.Span;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.support.KafkaHeaders;

/**
 * Gets a record's dead letter onto the broker, whatever it takes, so the record can end. The whole
 * dead letter gets the listener's bounded tries; when they are used up, or the broker refuses it for
 * good (too large once Spring's headers are added, say), it is written without the request's value
 * instead ({@code dlt-value-dropped}; the original coordinates stay, so the request can still be
 * found in its topic), tried until it is on the broker. The request's headers stay with it (its
 * {@code kafka_correlationId}, the caller's {@code traceparent} as {@code dlt-original-traceparent}):
 * only while the broker still refuses the record as too large are they dropped, the largest first
 * and the correlation id and traceparent last, each named in {@code dlt-headers-dropped}. Only the
 * gateway stopping ends the tries.
 */
final class DeadLetters {

    private static final Logger LOGGER = LoggerFactory.getLogger(DeadLetters.class);
    /** Dropped only when nothing else is left to drop: what finds the request and its trace again. */
    private static final List<String> KEPT_LONGEST = List.of(KafkaHeaders.CORRELATION_ID, "traceparent");

    private final TracedDeadLetterRecoverer whole;
    private final Retries retries;

    DeadLetters(TracedDeadLetterRecoverer whole, Retries retries) {
        this.whole = whole;
        this.retries = retries;
    }

    void publish(Span span, ConsumerRecord<String, byte[]> record, Exception reason) {
        try {
            retries.run(span, "dead letter", () -> whole.accept(record, reason), DeadLetters::permanent);
        } catch (RuntimeException refused) {
            if (Thread.currentThread().isInterrupted()) {
                throw refused;
            }
            LOGGER.warn("The dead letter of {}-{}@{} could not be written ({}); writing it without the request's value",
                    record.topic(), record.partition(), record.offset(), rootCause(refused).getClass().getName());
            withoutValue(span, record, reason);
        }
    }

    private void withoutValue(Span span, ConsumerRecord<String, byte[]> record, Exception reason) {
        Deque<String> droppable = droppableHeaders(record);
        Set<String> dropped = new LinkedHashSet<>();
        while (true) {
            try {
                Set<String> now = Set.copyOf(dropped);
                retries.runUntil(span, "dead letter without the value", () -> whole.withoutValue(now).accept(record, reason),
                        failure -> permanent(failure) && !droppable.isEmpty());
                if (!dropped.isEmpty()) {
                    LOGGER.warn("The dead letter of {}-{}@{} was written without the request's value and its headers {}",
                            record.topic(), record.partition(), record.offset(), dropped);
                }
                return;
            } catch (RuntimeException refused) {
                if (Thread.currentThread().isInterrupted() || droppable.isEmpty()) {
                    throw refused;
                }
                dropped.add(droppable.removeFirst());
            }
        }
    }

    /**
     * The request's header names in the order they are given up: the largest first, the correlation id
     * and traceparent last. Never one the dead letter does not take over from the request anyway (a
     * {@code kafka_dlt-*} or {@code dlt-*} name): dropping it by name would drop the genuine header too.
     */
    static Deque<String> droppableHeaders(ConsumerRecord<String, byte[]> record) {
        Map<String, Integer> sizes = new LinkedHashMap<>();
        for (Header header : record.headers()) {
            if (!TracedDeadLetterRecoverer.passedOn(header.key())) {
                continue;
            }
            sizes.merge(header.key(), header.key().length() + (header.value() == null ? 0 : header.value().length), Integer::sum);
        }
        Deque<String> order = new ArrayDeque<>();
        sizes.entrySet().stream().filter(entry -> !KEPT_LONGEST.contains(entry.getKey()))
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).forEach(entry -> order.add(entry.getKey()));
        KEPT_LONGEST.stream().filter(sizes::containsKey).forEach(order::add);
        return order;
    }

    /** A failure no retry can cure: the broker or the client refuses this very record. */
    static boolean permanent(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof RetriableException) {
                return false;
            }
            if (cause instanceof ApiException || cause instanceof SerializationException) {
                return true;
            }
        }
        return false;
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
