package io.ctxprop.bench.report;

import io.ctxprop.bench.carriers.CarrierRun.HopCost;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The targets, judged on one run's figures side by side. A target whose scenarios did not
 * run is left out; a miss carries the profile of the scenario that shows where the time goes.
 */
public final class Targets {

    private Targets() {
    }

    public static List<TargetResult> judge(List<ScenarioResult> scenarios, List<HopCost> carriers,
            Function<String, String> profileOf) {
        var results = new ArrayList<TargetResult>();
        Optional<ScenarioResult> raw = find(scenarios, "raw");
        Optional<ScenarioResult> kafka = find(scenarios, "kafka-on");
        if (raw.isPresent() && kafka.isPresent()) {
            double ratio = kafka.get().throughput() / raw.get().throughput();
            results.add(target("kafka (tracing on) >= 0.8 x raw throughput",
                    String.format("%.2f x (%,.0f vs %,.0f req/s)", ratio, kafka.get().throughput(), raw.get().throughput()),
                    ratio >= 0.8, profileOf, "kafka-on"));
            double extra = kafka.get().p50Ms() - raw.get().p50Ms();
            results.add(target("kafka (tracing on) p50 <= raw p50 + 2 ms",
                    String.format("+%.2f ms (%.2f vs %.2f ms)", extra, kafka.get().p50Ms(), raw.get().p50Ms()),
                    extra <= 2, profileOf, "kafka-on"));
        }
        for (String path : List.of("kafka", "http", "both")) {
            Optional<ScenarioResult> on = find(scenarios, path + "-on");
            Optional<ScenarioResult> off = find(scenarios, path + "-off");
            if (on.isEmpty() || off.isEmpty()) {
                continue;
            }
            double loss = 1 - on.get().throughput() / off.get().throughput();
            results.add(target("tracing costs " + path + " <= 5% throughput",
                    String.format("%.1f%% (%,.0f on vs %,.0f off req/s)", loss * 100, on.get().throughput(), off.get().throughput()),
                    loss <= 0.05, profileOf, path + "-on"));
            double extra = on.get().p50Ms() - off.get().p50Ms();
            results.add(target("tracing costs " + path + " <= 0.3 ms p50",
                    String.format("%+.2f ms (%.2f on vs %.2f off)", extra, on.get().p50Ms(), off.get().p50Ms()),
                    extra <= 0.3, profileOf, path + "-on"));
        }
        for (String path : List.of("kafka", "http")) {
            find(scenarios, "slow-" + path).ifPresent(slow -> results.add(slowModel(slow, profileOf)));
        }
        for (HopCost hop : carriers) {
            results.add(new TargetResult("carriers: " + hop.carrier() + " inject + extract < 1 us",
                    String.format("%.0f ± %.0f ns", hop.nanosPerOp(), hop.error()), hop.nanosPerOp() < 1000, null));
        }
        return results;
    }

    private static TargetResult slowModel(ScenarioResult slow, Function<String, String> profileOf) {
        boolean whole = slow.traces() != null && slow.traces() > 0 && slow.traces().equals(slow.tracesComplete());
        boolean met = slow.throughput() >= 900 && slow.errors() == 0 && slow.timeouts() == 0
                && Long.valueOf(0).equals(slow.spansDropped()) && whole;
        String measured = String.format("%,.0f req/s, %d errors, %d timeouts, %s spans dropped, %s of %s traces whole",
                slow.throughput(), slow.errors(), slow.timeouts(), slow.spansDropped(), slow.tracesComplete(), slow.traces());
        return target(slow.name() + ": >= 900 req/s, no error, timeout or dropped span, every trace whole, 256 MB heaps",
                measured, met, profileOf, slow.name());
    }

    private static TargetResult target(String name, String measured, boolean met, Function<String, String> profileOf,
            String scenario) {
        return new TargetResult(name, measured, met, met ? null : profileOf.apply(scenario));
    }

    private static Optional<ScenarioResult> find(List<ScenarioResult> scenarios, String name) {
        return scenarios.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
