package io.ctxprop.bench.report;

/** One target of the issue, where this run stands against it, and for a miss where the time went. */
public record TargetResult(String target, String measured, boolean met, String profile) {
}
