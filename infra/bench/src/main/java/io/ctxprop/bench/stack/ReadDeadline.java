package io.ctxprop.bench.stack;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A bound on reading one streamed body: the JDK client's request timeout ends with the response's
 * headers, and a read of its body blocks for as long as the server sends nothing. When the time is up
 * the reading thread is interrupted (the body's stream turns that into an IOException); ending the
 * read in time leaves no interrupt behind, even when the two race.
 */
final class ReadDeadline implements AutoCloseable {

    private final Thread reader = Thread.currentThread();
    private final Future<?> alarm;
    private boolean ended;
    private boolean passed;

    ReadDeadline(Duration timeout) {
        alarm = CompletableFuture.runAsync(this::pass,
                CompletableFuture.delayedExecutor(timeout.toNanos(), TimeUnit.NANOSECONDS));
    }

    private synchronized void pass() {
        if (!ended) {
            passed = true;
            reader.interrupt();
        }
    }

    /** Whether the time ran out before the read ended. */
    synchronized boolean passed() {
        return passed;
    }

    /** Ends the read: from now on the alarm does nothing, and an interrupt it gave is cleared. */
    @Override
    public synchronized void close() {
        ended = true;
        alarm.cancel(false);
        if (passed) {
            Thread.interrupted();
        }
    }
}
