package io.ctxprop.bench.measure;

import java.util.List;
import java.util.Map;

/**
 * One measurement window of one subject on one path: the answers, their latencies, the CPU seconds
 * (without the JIT compiler threads', kept apart) and peak memory of every process by role ({@code front}, {@code back}, {@code model}, {@code broker},
 * {@code bench}), and what reached the span sink. Trace figures are null where the sink does not see
 * the subject's spans; {@code spansDropped} where the services serve no metrics. GC pauses are counted
 * over the warm-up and the window together (read outside them), so they are per request made.
 * {@code offeredRate}: the requests per second the clients were paced to, 0 when they went as fast as
 * answers came; {@code alongside}: the subject measured in the same window on its own clients, null when
 * this one was measured alone.
 */
public record Sample(String subject, String path, int round, int clients, double seconds, long answers, long errors,
        long timeouts, double throughput, double p50Ms, double p90Ms, double p99Ms, double maxMs,
        Map<String, Double> cpuSeconds, Map<String, Double> jitSeconds, Map<String, Double> peakRssMib, long requests, Long spans, Long attributes,
        Long bytes, Integer traces, Integer tracesWhole, Long spansDropped, Map<String, Double> gcPauseSeconds, double offeredRate,
        String alongside) {

    public static final String FRONT = "front";
    public static final String BACK = "back";
    public static final String MODEL = "model";
    public static final String BROKER = "broker";
    public static final String BENCH = "bench";

    /** This sample, measured in the same window as {@code other}'s. */
    public Sample alongside(String other) {
        return new Sample(subject, path, round, clients, seconds, answers, errors, timeouts, throughput, p50Ms, p90Ms, p99Ms, maxMs,
                cpuSeconds, jitSeconds, peakRssMib, requests, spans, attributes, bytes, traces, tracesWhole, spansDropped,
                gcPauseSeconds, offeredRate, other);
    }

    /** CPU milliseconds per answer of one role's process. */
    public double cpuMsPerAnswer(String role) {
        return answers == 0 ? Double.NaN : cpuSeconds.getOrDefault(role, Double.NaN) * 1000 / answers;
    }

    /** The primary figure: front and back service together, CPU milliseconds per answer. */
    public double servicesMsPerAnswer() {
        return cpuMsPerAnswer(FRONT) + cpuMsPerAnswer(BACK);
    }

    /** What the front and back services' JIT compiler threads used besides, per answer. */
    public double servicesJitMsPerAnswer() {
        return answers == 0 ? Double.NaN
                : (jitSeconds.getOrDefault(FRONT, Double.NaN) + jitSeconds.getOrDefault(BACK, Double.NaN)) * 1000 / answers;
    }

    /**
     * The share of the front and back services' CPU their JIT compiler threads used in this window: under
     * {@value WarmUp#JIT_SHARE_LIMIT} the services are warm and the window measures a steady state.
     */
    public double servicesJitShare() {
        double jit = jitSeconds.getOrDefault(FRONT, Double.NaN) + jitSeconds.getOrDefault(BACK, Double.NaN);
        double work = cpuSeconds.getOrDefault(FRONT, Double.NaN) + cpuSeconds.getOrDefault(BACK, Double.NaN);
        return jit + work <= 0 ? Double.NaN : jit / (jit + work);
    }

    /** The highest {@link #servicesJitShare} among {@code samples}, NaN when none has one (no JIT read, or no CPU). */
    public static double highestJitShare(List<Sample> samples) {
        return samples.stream().mapToDouble(Sample::servicesJitShare).filter(share -> !Double.isNaN(share)).max().orElse(Double.NaN);
    }

    /**
     * The JIT compiler threads' share of the front and back services' CPU over all of {@code samples}
     * together, each window weighing as much as the CPU it used; a window without a JIT or CPU reading is
     * left out. NaN when none has both.
     */
    public static double jitShareTogether(List<Sample> samples) {
        return jitShareTogether(samples, List.of());
    }

    /** As {@link #jitShareTogether(List)}, over both lists: a run's windows kept and those set aside. */
    public static double jitShareTogether(List<Sample> samples, List<Sample> more) {
        double jit = 0;
        double all = 0;
        for (Sample sample : java.util.stream.Stream.concat(samples.stream(), more.stream()).toList()) {
            double windowJit = sample.jitSeconds().getOrDefault(FRONT, Double.NaN) + sample.jitSeconds().getOrDefault(BACK, Double.NaN);
            double work = sample.cpuSeconds().getOrDefault(FRONT, Double.NaN) + sample.cpuSeconds().getOrDefault(BACK, Double.NaN);
            if (!Double.isNaN(windowJit) && !Double.isNaN(work) && windowJit + work > 0) {
                jit += windowJit;
                all += windowJit + work;
            }
        }
        return all > 0 ? jit / all : Double.NaN;
    }

    /** Stop-the-world GC milliseconds per request of one role's process, over the warm-up and the window. */
    public double gcPauseMsPerRequest(String role) {
        return requests == 0 ? Double.NaN : gcPauseSeconds.getOrDefault(role, Double.NaN) * 1000 / requests;
    }

    /** Per request the clients made (the warm-up's included, as the sink counts every span). */
    public Double perRequest(Long total) {
        return total == null || requests == 0 ? null : (double) total / requests;
    }
}
