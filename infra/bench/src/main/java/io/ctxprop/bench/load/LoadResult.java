package io.ctxprop.bench.load;

import org.HdrHistogram.Histogram;

/**
 * What one measurement window saw: requests that started and finished inside it, their latencies
 * (successes only), and everything the clients did before and after it.
 */
public record LoadResult(int clients, double seconds, long ok, long errors, long timeouts, Histogram latencies,
        long issued, long outsideWindow) {

    public double throughput() {
        return ok / seconds;
    }

    /** Latency at a percentile, in milliseconds. */
    public double latencyMs(double percentile) {
        return latencies.getTotalCount() == 0 ? Double.NaN : latencies.getValueAtPercentile(percentile) / 1_000.0;
    }

    public double maxMs() {
        return latencies.getTotalCount() == 0 ? Double.NaN : latencies.getMaxValue() / 1_000.0;
    }
}
