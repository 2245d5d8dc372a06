package io.ctxprop.bench.report;

/** One target against one run: what was measured, whether it was met, and where the time goes if not. */
public record TargetResult(String target, String measured, boolean met, String profile) {
}
