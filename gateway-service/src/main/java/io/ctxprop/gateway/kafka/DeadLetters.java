package io.ctxprop.gateway.kafka;

import io.opentelemetry.api.trace.Span;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets a record's dead letter onto the broker, whatever it takes, so the record can end. The whole
 * dead letter gets the listener's bounded tries; when they are used up, or the broker refuses it for
 * good (too large once Spring's headers are added, say), it is written without the request's value
 * and original headers instead ({@code dlt-value-dropped}; the original coordinates stay, so the
 * request can still be found in its topic), tried until it is on the broker. Only the gateway
 * stopping ends the tries.
 */
final class DeadLetters {

    private static final Logger LOGGER = LoggerFactory.getLogger(DeadLetters.class);

    private final TracedDeadLetterRecoverer whole;
    private final TracedDeadLetterRecoverer withoutValue;
    private final Retries retries;

    DeadLetters(TracedDeadLetterRecoverer whole, TracedDeadLetterRecoverer withoutValue, Retries retries) {
        this.whole = whole;
        this.withoutValue = withoutValue;
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
            retries.runUntil(span, "dead letter without the value", () -> withoutValue.accept(record, reason), failure -> false);
        }
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
