package io.ctxprop.bench.report;

import java.util.List;

/**
 * One scenario's figures. Latencies are in milliseconds; {@code spansDropped}, {@code traces} and
 * {@code tracesComplete} are null where they do not apply (tracing off, the raw baseline); the
 * waterfall is the average traced request, span by span (empty without tracing).
 */
public record ScenarioResult(String name, String path, String tracing, int clients, double seconds,
        double throughput, double p50Ms, double p90Ms, double p99Ms, double maxMs, long ok, long errors,
        long timeouts, List<ProcessFigures> processes, Long spansExported, Long spansDropped, Integer traces,
        Integer tracesComplete, List<SpanTiming> waterfall) {

    /** CPU of every process of the scenario, per successful request, in milliseconds. */
    public double cpuMsPerRequest() {
        double cpu = processes.stream().mapToDouble(ProcessFigures::cpuSeconds).sum();
        return ok == 0 ? Double.NaN : cpu * 1000 / ok;
    }
}
