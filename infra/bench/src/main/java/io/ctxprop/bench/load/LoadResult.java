package io.ctxprop.bench.load;

import org.HdrHistogram.Histogram;

/**
 * What one measurement window saw: requests that started and finished inside it, their latencies
 * (successes only), and everything the clients did before and after it. For streamed answers, the
 * successes' times to first chunk and their chunks; empty and 0 otherwise.
 */
public record LoadResult(int clients, double seconds, long ok, long errors, long timeouts, Histogram latencies,
        long issued, long outsideWindow, Histogram firstChunks, long chunks) {

    public double throughput() {
        return ok / seconds;
    }

    /** Latency at a percentile, in milliseconds. */
    public double latencyMs(double percentile) {
        return latencies.getTotalCount() == 0 ? Double.NaN : latencies.getValueAtPercentile(percentile) / 1_000.0;
    }

    /** Time to first chunk at a percentile, in milliseconds; NaN when no answer was streamed. */
    public double firstChunkMs(double percentile) {
        return firstChunks.getTotalCount() == 0 ? Double.NaN : firstChunks.getValueAtPercentile(percentile) / 1_000.0;
    }

    public double maxMs() {
        return latencies.getTotalCount() == 0 ? Double.NaN : latencies.getMaxValue() / 1_000.0;
    }
}
