package io.ctxprop.bench.measure;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * What coalescing chunk records does to a fast model's streamed answers over Kafka: the same stack with
 * coalescing off ({@link #BEFORE}, one record per piece) and on ({@link #AFTER}), measured in alternating
 * rounds. Per figure (records per answer, CPU per answer, time to first chunk, ...): the median of each
 * side's rounds (lowest-highest), the ratio after / before of the medians, and the ratio round by round
 * (round r after over round r before).
 */
public record CoalesceCost(int rounds, List<Row> rows, Spread beforeThroughput, Spread afterThroughput, long errors,
        double jitShareMax) {

    /** The two stacks' names in the samples. */
    public static final String BEFORE = "coalesce-0";
    public static final String AFTER = "coalesce-15ms";

    /** One figure of both sides; {@code format} how its values are written. */
    public record Row(String figure, String format, Spread before, Spread after, double ratio, Spread roundRatios) {
    }

    /** From a run's samples; empty unless both sides have a round with answers. */
    public static Optional<CoalesceCost> of(List<CoalesceSample> samples) {
        var before = rounds(samples, BEFORE);
        var after = rounds(samples, AFTER);
        if (before.isEmpty() || after.isEmpty()) {
            return Optional.empty();
        }
        var rows = List.of(
                row("Kafka records per answer", "%.1f", before, after, CoalesceSample::recordsPerAnswer),
                row("CPU ms per answer, application + gateway", "%.2f", before, after, CoalesceSample::servicesMsPerAnswer),
                row("CPU ms per answer, gateway", "%.2f", before, after, CoalesceSample::gatewayMsPerAnswer),
                row("CPU ms per answer, application", "%.2f", before, after, CoalesceSample::applicationMsPerAnswer),
                row("time to first chunk p50, ms", "%.1f", before, after, CoalesceSample::firstChunkP50Ms),
                row("time to first chunk p99, ms", "%.1f", before, after, CoalesceSample::firstChunkP99Ms),
                row("whole answer p50, ms", "%.0f", before, after, CoalesceSample::answerP50Ms),
                row("chunk events per answer (client)", "%.1f", before, after, CoalesceSample::chunksPerAnswer));
        long errors = samples.stream().filter(s -> s.subject().equals(BEFORE) || s.subject().equals(AFTER))
                .mapToLong(s -> s.errors() + s.timeouts()).sum();
        double jit = samples.stream().filter(s -> s.subject().equals(BEFORE) || s.subject().equals(AFTER))
                .mapToDouble(CoalesceSample::jitShare).filter(share -> !Double.isNaN(share)).max().orElse(Double.NaN);
        return Optional.of(new CoalesceCost(Math.min(before.size(), after.size()), rows,
                RoundRatios.spread(before.values(), CoalesceSample::throughput), RoundRatios.spread(after.values(), CoalesceSample::throughput),
                errors, jit));
    }

    /** A side's rounds by number; rounds without an answer measure nothing and are left out. */
    private static Map<Integer, CoalesceSample> rounds(List<CoalesceSample> samples, String subject) {
        return samples.stream().filter(s -> s.subject().equals(subject) && s.answers() > 0)
                .collect(Collectors.toMap(CoalesceSample::round, s -> s, (first, again) -> first));
    }

    private static Row row(String figure, String format, Map<Integer, CoalesceSample> before,
            Map<Integer, CoalesceSample> after, ToDoubleFunction<CoalesceSample> value) {
        Spread beforeSpread = RoundRatios.spread(before.values(), value);
        Spread afterSpread = RoundRatios.spread(after.values(), value);
        return new Row(figure, format, beforeSpread, afterSpread, afterSpread.median() / beforeSpread.median(),
                RoundRatios.ratios(before, after, value));
    }
}
