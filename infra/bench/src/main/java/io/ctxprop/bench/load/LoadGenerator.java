package io.ctxprop.bench.load;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * A closed-loop load: each of N clients (a virtual thread) makes a request, waits for its answer and
 * makes the next. After a warm-up, a window of fixed length is measured; a request counts when it
 * started and ended inside the window, so neither the warm-up nor requests still open at the end
 * bend the figures. Latencies are recorded in microseconds; for a streamed answer, the time to its
 * first chunk as well, and its chunks are counted.
 */
public final class LoadGenerator {

    private static final long MAX_LATENCY_MICROS = TimeUnit.MINUTES.toMicros(5);

    private final int clients;
    private final Duration warmUp;
    private final Duration window;

    public LoadGenerator(int clients, Duration warmUp, Duration window) {
        this.clients = clients;
        this.warmUp = warmUp;
        this.window = window;
    }

    /**
     * Runs the load and returns the window's figures; {@code progress} hears a line every few seconds.
     * {@code onWindow} runs when the window opens and when it closes (true, then false), for the
     * caller's own samplers.
     */
    public LoadResult run(Call call, Consumer<String> progress, Consumer<Boolean> onWindow) throws InterruptedException {
        return runStreamed(() -> Answer.of(call.call()), progress, onWindow);
    }

    /** As {@link #run}, for requests whose answers are streamed: their time to first chunk and chunks too. */
    public LoadResult runStreamed(StreamedCall call, Consumer<String> progress, Consumer<Boolean> onWindow)
            throws InterruptedException {
        var recorder = new Recorder(MAX_LATENCY_MICROS, 3);
        var firstChunks = new Recorder(MAX_LATENCY_MICROS, 3);
        var chunks = new LongAdder();
        var ok = new LongAdder();
        var errors = new LongAdder();
        var timeouts = new LongAdder();
        var issued = new LongAdder();
        var outside = new LongAdder();
        var running = new AtomicBoolean(true);
        long start = System.nanoTime();
        long windowStart = start + warmUp.toNanos();
        long windowEnd = windowStart + window.toNanos();

        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < clients; i++) {
                pool.execute(() -> {
                    while (running.get()) {
                        long began = System.nanoTime();
                        issued.increment();
                        Answer answer = attempt(call);
                        long ended = System.nanoTime();
                        if (began < windowStart || ended > windowEnd) {
                            outside.increment();
                            continue;
                        }
                        switch (answer.outcome()) {
                            case OK -> {
                                ok.increment();
                                recorder.recordValue(Math.min(MAX_LATENCY_MICROS, (ended - began) / 1_000));
                                if (answer.firstChunkNanos() >= 0) {
                                    firstChunks.recordValue(Math.min(MAX_LATENCY_MICROS, answer.firstChunkNanos() / 1_000));
                                }
                                chunks.add(answer.chunks());
                            }
                            case ERROR -> errors.increment();
                            case TIMEOUT -> timeouts.increment();
                        }
                    }
                });
            }
            pace(start, windowStart, windowEnd, ok, issued, progress, onWindow);
            running.set(false);
        }
        Histogram latencies = recorder.getIntervalHistogram();
        return new LoadResult(clients, window.toNanos() / 1e9, ok.sum(), errors.sum(), timeouts.sum(), latencies,
                issued.sum(), outside.sum(), firstChunks.getIntervalHistogram(), chunks.sum());
    }

    /** Waits out the warm-up and the window on the caller's thread, reporting as it goes. */
    private static void pace(long start, long windowStart, long windowEnd, LongAdder ok, LongAdder issued,
            Consumer<String> progress, Consumer<Boolean> onWindow) throws InterruptedException {
        boolean windowOpen = false;
        long lastIssued = 0;
        long lastReport = start;
        while (true) {
            long now = System.nanoTime();
            if (!windowOpen && now >= windowStart) {
                windowOpen = true;
                onWindow.accept(true);
            }
            if (now >= windowEnd) {
                onWindow.accept(false);
                return;
            }
            if (now - lastReport >= TimeUnit.SECONDS.toNanos(5)) {
                long sent = issued.sum();
                progress.accept(String.format("%s %3d s, %,d requests/s issued, %,d ok in the window",
                        windowOpen ? "measuring" : "warming up", TimeUnit.NANOSECONDS.toSeconds(now - start),
                        (sent - lastIssued) * 1_000_000_000L / (now - lastReport), ok.sum()));
                lastIssued = sent;
                lastReport = now;
            }
            long nextStop = Math.min(windowOpen ? windowEnd : windowStart, lastReport + TimeUnit.SECONDS.toNanos(5));
            TimeUnit.NANOSECONDS.sleep(Math.max(1_000_000, nextStop - now));
        }
    }

    private static Answer attempt(StreamedCall call) {
        try {
            return call.call();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Answer.of(Outcome.ERROR);
        } catch (Exception failed) {
            return Answer.of(Outcome.ERROR);
        }
    }
}
