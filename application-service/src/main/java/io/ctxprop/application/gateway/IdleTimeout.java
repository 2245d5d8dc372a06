package io.ctxprop.application.gateway;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes a stream that makes no progress for a while, so the thread blocked reading it wakes up
 * (the JDK client has no read timeout once the response has begun). {@link #reset} on every event.
 */
final class IdleTimeout implements AutoCloseable {

    private final ScheduledExecutorService scheduler;
    private final Duration timeout;
    private final Closeable target;
    private volatile boolean fired;
    private ScheduledFuture<?> pending;

    IdleTimeout(ScheduledExecutorService scheduler, Duration timeout, Closeable target) {
        this.scheduler = scheduler;
        this.timeout = timeout;
        this.target = target;
        reset();
    }

    synchronized void reset() {
        if (pending != null) {
            pending.cancel(false);
        }
        pending = scheduler.schedule(this::fire, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** True once the stream was closed for want of progress. */
    boolean fired() {
        return fired;
    }

    private void fire() {
        fired = true;
        try {
            target.close();
        } catch (IOException ignored) {
            // closing is all that was wanted
        }
    }

    @Override
    public synchronized void close() {
        pending.cancel(false);
    }
}
