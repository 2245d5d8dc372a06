package io.ctxprop.bench.report;

/** One process during a measurement window: CPU seconds used and its peak resident memory. */
public record ProcessFigures(String name, double cpuSeconds, double peakRssMib) {
}
