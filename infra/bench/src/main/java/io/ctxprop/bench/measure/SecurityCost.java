package io.ctxprop.bench.measure;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * The cost of securing Kafka: the same stack on the plaintext and on the secured broker (TLS + SCRAM),
 * measured in alternating rounds on the Kafka path. Per service (application, gateway) and both together:
 * the CPU ms per answer of each (median, lowest-highest round), the ratio secured / plaintext of the
 * medians, and the spread of the ratio round by round (round r secured over round r plaintext).
 */
public record SecurityCost(int rounds, List<Row> rows, Spread plainThroughput, Spread securedThroughput,
        Spread plainBrokerMs, Spread securedBrokerMs, long errors) {

    /** The two stacks' names in the samples. */
    public static final String PLAIN = "kafka-plaintext";
    public static final String SECURED = "kafka-secured";
    public static final String PATH = "kafka";

    /** One service, or both together. */
    public record Row(String service, Spread plain, Spread secured, double ratio, Spread roundRatios) {
    }

    /** From a run's samples; empty when it measured no secured Kafka. */
    public static Optional<SecurityCost> of(List<Sample> samples) {
        var plain = rounds(samples, PLAIN);
        var secured = rounds(samples, SECURED);
        if (plain.isEmpty() || secured.isEmpty()) {
            return Optional.empty();
        }
        var rows = List.of(
                row("application", plain, secured, s -> s.cpuMsPerAnswer(Sample.FRONT)),
                row("gateway", plain, secured, s -> s.cpuMsPerAnswer(Sample.BACK)),
                row("application + gateway", plain, secured, Sample::servicesMsPerAnswer));
        long errors = samples.stream().filter(s -> PATH.equals(s.path()) && (s.subject().equals(PLAIN) || s.subject().equals(SECURED)))
                .mapToLong(s -> s.errors() + s.timeouts()).sum();
        return Optional.of(new SecurityCost(Math.min(plain.size(), secured.size()), rows,
                RoundRatios.spread(plain.values(), Sample::throughput), RoundRatios.spread(secured.values(), Sample::throughput),
                RoundRatios.spread(plain.values(), s -> s.cpuMsPerAnswer(Sample.BROKER)),
                RoundRatios.spread(secured.values(), s -> s.cpuMsPerAnswer(Sample.BROKER)), errors));
    }

    private static Map<Integer, Sample> rounds(List<Sample> samples, String subject) {
        return samples.stream().filter(s -> s.subject().equals(subject) && PATH.equals(s.path()))
                .collect(Collectors.toMap(Sample::round, s -> s, (first, again) -> first));
    }

    private static Row row(String service, Map<Integer, Sample> plain, Map<Integer, Sample> secured, ToDoubleFunction<Sample> figure) {
        Spread plainSpread = RoundRatios.spread(plain.values(), figure);
        Spread securedSpread = RoundRatios.spread(secured.values(), figure);
        return new Row(service, plainSpread, securedSpread, securedSpread.median() / plainSpread.median(),
                RoundRatios.ratios(plain, secured, figure));
    }
}
