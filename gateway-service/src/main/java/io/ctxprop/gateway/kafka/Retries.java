package io.ctxprop.gateway.kafka;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.semconv.ErrorAttributes;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * Runs one step of answering a record again after a failure, with exponential backoff (Spring's
 * {@link ExponentialBackOff}), a bounded number of times. A {@link PoisonRecord} is never retried:
 * the record itself is wrong. Each retry is an event on the record's span. The waits happen on the
 * record's own virtual thread, never on the consumer's.
 */
final class Retries {

    static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("ctxprop.retry.attempt");

    private final BackOff bounded;
    private final BackOff unbounded;

    Retries(ListenerProperties properties) {
        this.bounded = backOff(properties, properties.attempts() - 1);
        this.unbounded = backOff(properties, Long.MAX_VALUE);
    }

    private static BackOff backOff(ListenerProperties properties, long retries) {
        var backOff = new ExponentialBackOff(properties.backoff().toMillis(), 2.0);
        backOff.setMaxInterval(properties.maxBackoff().toMillis());
        backOff.setMaxAttempts(retries);
        return backOff;
    }

    /** The step's result; its last failure once the attempts are used up. */
    <T> T call(Span span, String step, Supplier<T> work) {
        return call(span, step, work, bounded);
    }

    void run(Span span, String step, Runnable work) {
        run(span, step, work, failure -> false);
    }

    /** As {@link #run(Span, String, Runnable)}, ending early on a failure {@code giveUp} accepts. */
    void run(Span span, String step, Runnable work, Predicate<RuntimeException> giveUp) {
        call(span, step, () -> {
            work.run();
            return null;
        }, bounded, giveUp);
    }

    /**
     * Until it works, or until a failure {@code giveUp} accepts (thrown); an interrupt (the gateway
     * stopping) also ends the tries.
     */
    void runUntil(Span span, String step, Runnable work, Predicate<RuntimeException> giveUp) {
        call(span, step, () -> {
            work.run();
            return null;
        }, unbounded, giveUp);
    }

    private static <T> T call(Span span, String step, Supplier<T> work, BackOff policy) {
        return call(span, step, work, policy, failure -> false);
    }

    private static <T> T call(Span span, String step, Supplier<T> work, BackOff policy, Predicate<RuntimeException> giveUp) {
        BackOffExecution execution = policy.start();
        for (long attempt = 1; ; attempt++) {
            try {
                return work.get();
            } catch (PoisonRecord poison) {
                throw poison;
            } catch (RuntimeException failure) {
                long wait = execution.nextBackOff();
                if (wait == BackOffExecution.STOP || giveUp.test(failure) || Thread.currentThread().isInterrupted()) {
                    throw failure;
                }
                span.addEvent("retry " + step, Attributes.of(ATTEMPT, attempt, ErrorAttributes.ERROR_TYPE, failure.getClass().getName()));
                pause(wait, failure);
            }
        }
    }

    private static void pause(long millis, RuntimeException failure) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            failure.addSuppressed(interrupted);
            throw failure;
        }
    }
}
