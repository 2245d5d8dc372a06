package io.ctxprop.bench.raw;

/** For a shutdown hook: the JVM halts when its hooks end, so a hook waits for the serving thread to close its clients. */
final class Stopping {

    private Stopping() {
    }

    static void await(Thread serving) {
        try {
            serving.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
