package io.ctxprop.gateway.kafka;

import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Cuts a streamed answer into chunk records: at most one record per window. The first piece goes at
 * once (time to first chunk does not move); a piece that comes after a quiet window goes at once too
 * (a slow model still gets one record per piece); pieces that come sooner are held and go together
 * when the window since the last record ends, so no text waits longer than one window. A zero window
 * sends every piece as its own record. Thread-safe: pieces come on the thread reading the model, the
 * held text may go on the timer's thread.
 */
final class ChunkWindow {

    /** Runs a task once after a delay; the production one is a shared scheduler thread. */
    interface Timer {
        Future<?> schedule(Runnable task, long delayNanos);
    }

    private final long windowNanos;
    private final Timer timer;
    private final LongSupplier nanoClock;
    private final Consumer<String> emit;
    private final StringBuilder held = new StringBuilder();
    private boolean emittedAny;
    private long lastEmit;
    private Future<?> scheduled;
    private boolean closed;

    /** @param emit sends one chunk record's text; called with this window's lock held, so records leave in order */
    ChunkWindow(Duration window, Timer timer, LongSupplier nanoClock, Consumer<String> emit) {
        this.windowNanos = window.toNanos();
        this.timer = timer;
        this.nanoClock = nanoClock;
        this.emit = emit;
    }

    synchronized void piece(String text) {
        if (closed) {
            throw new IllegalStateException("The answer is already finished");
        }
        long now = nanoClock.getAsLong();
        long sinceLast = now - lastEmit;
        if (!emittedAny || sinceLast >= windowNanos) {
            held.append(text);
            send(now); // the first piece, a piece after a quiet window, or the window was over when the timer was late
            return;
        }
        held.append(text);
        if (scheduled == null) {
            schedule(windowNanos - sinceLast);
        }
    }

    /** Sends what is held now (the answer is complete); pieces after it are refused. */
    synchronized void close() {
        closed = true;
        if (!held.isEmpty()) {
            send(nanoClock.getAsLong());
        }
    }

    private synchronized void windowEnded() {
        scheduled = null;
        if (!held.isEmpty()) {
            send(nanoClock.getAsLong());
        }
    }

    private void schedule(long delayNanos) {
        try {
            scheduled = timer.schedule(this::windowEnded, delayNanos);
        } catch (RejectedExecutionException closing) {
            send(nanoClock.getAsLong()); // the timer is shut down (the gateway closing): no waiting
        }
    }

    private void send(long now) {
        if (scheduled != null) {
            scheduled.cancel(false);
            scheduled = null;
        }
        String text = held.toString();
        held.setLength(0);
        emittedAny = true;
        lastEmit = now;
        emit.accept(text);
    }
}
