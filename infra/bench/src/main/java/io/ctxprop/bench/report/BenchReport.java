package io.ctxprop.bench.report;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.ctxprop.bench.carriers.CarrierRun.HopCost;
import io.ctxprop.bench.compare.Ratio;
import io.ctxprop.bench.measure.CoalesceSample;
import io.ctxprop.bench.measure.Sample;
import io.ctxprop.bench.measure.StreamSample;
import io.ctxprop.bench.measure.StreamSummary;
import io.ctxprop.bench.measure.Summary;
import io.ctxprop.bench.measure.WarmUp;
import java.util.List;
import java.util.Map;

/**
 * A whole run: the machine and how it was run, each subject's warm-up curve, every sample, their
 * summaries over the rounds, the carriers and the targets, and the streamed answers' samples and
 * summaries ({@code streamClients} clients, the per-token delay of the model {@code tokenDelayMs}).
 * {@code setups}: each subject's name and what it is. {@code ratios}: the primary figures, each from the
 * alternating rounds of one pair of stacks alive together. {@code coalescing}: a fast model's streamed
 * answers with chunk records coalesced and not (empty unless the run measured it). {@code setAside}: rounds
 * measured and not used, because the JIT compiled in them (each measured again).
 */
public record BenchReport(String command, String started, double minutes, Map<String, String> machine,
        String serviceJvm, int clients, int slowClients, Map<String, String> setups, List<WarmUp.Curve> warmUps,
        List<Sample> samples, List<Summary> summaries, List<HopCost> carriers, List<TargetResult> targets,
        int streamClients, long tokenDelayMs, List<StreamSample> streamSamples, List<StreamSummary> streaming, List<Ratio> ratios,
        List<CoalesceSample> coalescing, List<Sample> setAside) {

    /**
     * The highest share of the JIT compiler threads in the services' CPU in one window kept (a round with a
     * window at 2 % or more is set aside and measured again, while tries last). Written to results.json as
     * {@code jitShareMax}, for {@code bench.sh --compare}.
     */
    @JsonProperty("jitShareMax")
    public double jitShareMax() {
        return Sample.highestJitShare(samples);
    }

    /**
     * The JIT's share of the services' CPU over the windows kept, together: the windows every figure of the
     * run comes from (the CPU rounds' windows; streamed answers are not read for JIT). Under 2 %: warm.
     */
    @JsonProperty("jitShareKept")
    public double jitShareKept() {
        return Sample.jitShareTogether(samples);
    }

    /** As {@link #jitShareKept}, the windows set aside for their JIT counted too: every window measured. */
    @JsonProperty("jitShareWithSetAside")
    public double jitShareWithSetAside() {
        return Sample.jitShareTogether(samples, setAside);
    }
}
