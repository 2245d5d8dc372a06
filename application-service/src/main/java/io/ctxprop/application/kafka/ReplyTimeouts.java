package io.ctxprop.application.kafka;

import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * The scheduler of the request/reply template's reply timeouts, which hands each timeout it schedules
 * back to the thread that asked, so that the template can cancel it once the reply is in.
 *
 * <p>Spring Kafka's {@code ReplyingKafkaTemplate} schedules one timeout per request and drops the
 * handle: each stays queued, holding its whole request record, until its time is up, whether its reply
 * came or not. At 1,000 answers a second and a 30 s reply timeout that is 30,000 records kept alive,
 * which every young collection copies and then the old generation holds. Cancelled with
 * remove-on-cancel, a timeout leaves the queue when its reply arrives.
 */
final class ReplyTimeouts extends ThreadPoolTaskScheduler {

    private final ThreadLocal<ScheduledFuture<?>> scheduledHere = new ThreadLocal<>();

    private ReplyTimeouts() {
        setThreadNamePrefix("reply-timeouts-");
        setRemoveOnCancelPolicy(true);
    }

    /** A started scheduler (one thread), to be shut down by its owner ({@link #destroy()}). */
    static ReplyTimeouts started() {
        var timeouts = new ReplyTimeouts();
        timeouts.initialize();
        return timeouts;
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable task, Instant startTime) {
        ScheduledFuture<?> scheduled = super.schedule(task, startTime);
        scheduledHere.set(scheduled);
        return scheduled;
    }

    /** The timeout this thread scheduled last, if it has not been taken yet; taking it forgets it. */
    ScheduledFuture<?> takeScheduledHere() {
        ScheduledFuture<?> scheduled = scheduledHere.get();
        scheduledHere.remove();
        return scheduled;
    }
}
