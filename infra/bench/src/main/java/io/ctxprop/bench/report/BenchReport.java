package io.ctxprop.bench.report;

import io.ctxprop.bench.carriers.CarrierRun.HopCost;
import io.ctxprop.bench.measure.Sample;
import io.ctxprop.bench.measure.Summary;
import io.ctxprop.bench.measure.WarmUp;
import java.util.List;
import java.util.Map;

/**
 * A whole run: the machine and how it was run, each subject's warm-up curve, every sample, their
 * summaries over the rounds, the carriers and the targets. {@code setups}: each subject's name and what it is.
 */
public record BenchReport(String command, String started, double minutes, Map<String, String> machine,
        String serviceJvm, int clients, int slowClients, Map<String, String> setups, List<WarmUp.Curve> warmUps,
        List<Sample> samples, List<Summary> summaries, List<HopCost> carriers, List<TargetResult> targets) {
}
