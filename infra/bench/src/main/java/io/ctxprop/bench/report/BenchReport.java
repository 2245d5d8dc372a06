package io.ctxprop.bench.report;

import io.ctxprop.bench.carriers.CarrierRun.HopCost;
import java.util.List;
import java.util.Map;

/** A whole run: the machine, how it was run, every scenario, the carriers and the targets. */
public record BenchReport(String command, String started, double minutes, Map<String, String> machine,
        List<ScenarioResult> scenarios, List<HopCost> carriers, List<TargetResult> targets) {
}
