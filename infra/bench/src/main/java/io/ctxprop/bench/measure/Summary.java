package io.ctxprop.bench.measure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * A subject on a path at one concurrency, over its rounds: the primary figure (front + back CPU per
 * answer) as median and spread, each process's median share, and the medians of throughput and latency.
 */
public record Summary(String subject, String path, int clients, Spread servicesMs, double frontMs, double backMs,
        double modelMs, double brokerMs, double benchMs, double throughput, Spread p50Ms, double p99Ms,
        Double spansPerAnswer, Double attributesPerAnswer, Double bytesPerAnswer, Integer traces, Integer tracesWhole,
        Long spansDropped, long errors, long timeouts, double frontGcMs, double backGcMs, double jitMs) {

    /** One summary per subject, path and concurrency, in the order the samples first appear. */
    public static List<Summary> of(List<Sample> samples) {
        var groups = new LinkedHashMap<String, List<Sample>>();
        samples.forEach(s -> groups.computeIfAbsent(s.subject() + "|" + s.path() + "|" + s.clients(), k -> new ArrayList<>()).add(s));
        return groups.values().stream().map(Summary::of1).toList();
    }

    private static Summary of1(List<Sample> rounds) {
        Sample first = rounds.getFirst();
        return new Summary(first.subject(), first.path(), first.clients(),
                spread(rounds, Sample::servicesMsPerAnswer),
                spread(rounds, s -> s.cpuMsPerAnswer(Sample.FRONT)).median(),
                spread(rounds, s -> s.cpuMsPerAnswer(Sample.BACK)).median(),
                spread(rounds, s -> s.cpuMsPerAnswer(Sample.MODEL)).median(),
                spread(rounds, s -> s.cpuMsPerAnswer(Sample.BROKER)).median(),
                spread(rounds, s -> s.cpuMsPerAnswer(Sample.BENCH)).median(),
                spread(rounds, Sample::throughput).median(),
                spread(rounds, Sample::p50Ms),
                spread(rounds, Sample::p99Ms).median(),
                perRequest(rounds, Sample::spans), perRequest(rounds, Sample::attributes), perRequest(rounds, Sample::bytes),
                sum(rounds, Sample::traces), sum(rounds, Sample::tracesWhole),
                rounds.stream().map(Sample::spansDropped).filter(Objects::nonNull).reduce(Long::sum).orElse(null),
                rounds.stream().mapToLong(Sample::errors).sum(), rounds.stream().mapToLong(Sample::timeouts).sum(),
                spread(rounds, s -> s.gcPauseMsPerRequest(Sample.FRONT)).median(),
                spread(rounds, s -> s.gcPauseMsPerRequest(Sample.BACK)).median(),
                spread(rounds, Sample::servicesJitMsPerAnswer).median());
    }

    private static Spread spread(List<Sample> rounds, ToDoubleFunction<Sample> figure) {
        return Spread.of(rounds.stream().map(figure::applyAsDouble).toList());
    }

    private static Double perRequest(List<Sample> rounds, java.util.function.Function<Sample, Long> total) {
        var values = rounds.stream().map(s -> s.perRequest(total.apply(s))).filter(Objects::nonNull).toList();
        return values.isEmpty() ? null : Spread.of(values).median();
    }

    private static Integer sum(List<Sample> rounds, java.util.function.Function<Sample, Integer> count) {
        var values = rounds.stream().map(count).filter(Objects::nonNull).toList();
        return values.isEmpty() ? null : values.stream().mapToInt(Integer::intValue).sum();
    }

    public boolean everyTraceWhole() {
        return traces != null && traces > 0 && traces.equals(tracesWhole);
    }
}
