package io.ctxprop.bench.report;

/** One span of the average request: when it starts and ends, in ms after the root span starts. */
public record SpanTiming(String name, double startMs, double endMs, int traces) {
}
