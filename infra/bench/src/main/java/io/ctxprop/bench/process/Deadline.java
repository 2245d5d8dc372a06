package io.ctxprop.bench.process;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Polls a condition until it holds or the time is up; the harness has no test library to lean on. */
public final class Deadline {

    private Deadline() {
    }

    public static void await(String what, Duration timeout, Callable<Boolean> condition) {
        long end = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < end) {
            try {
                if (condition.call()) {
                    return;
                }
            } catch (IllegalStateException fatal) {
                throw fatal;
            } catch (Exception notYet) {
                last = notYet;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
            }
        }
        throw new IllegalStateException("timed out after " + timeout.toSeconds() + " s waiting for " + what, last);
    }
}
