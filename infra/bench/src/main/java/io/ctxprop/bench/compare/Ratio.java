package io.ctxprop.bench.compare;

import io.ctxprop.bench.measure.Sample;
import io.ctxprop.bench.measure.Spread;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A primary figure: the front + back CPU per answer of one setup over another's, on one path, from
 * rounds of the same run. {@code rounds}: the ratio round by round (round r of one over round r of the
 * other: measured in the same window side by side, or one after the other), whose spread says how far one
 * run's ratio can be trusted. {@code ratio} is the median of those when every round of both sides has its
 * partner (a drift of the machine then cancels within each round: two runs of the tracing pair measured
 * side by side agreed within 3.5 % this way, 8.2 % as a ratio of medians), else the median of the
 * numerator's rounds over the median of the denominator's (one subject at two loads, measured once). The absolute
 * milliseconds stand beside it, true of this machine only. {@code jitShare}: the highest share of the
 * JIT compiler threads in the services' CPU over the windows measured (under 2 % is warm).
 */
public record Ratio(String name, String numerator, String denominator, String path, int numeratorClients,
        int denominatorClients, double ratio, Spread rounds, double numeratorMs, double denominatorMs, double jitShare) {

    /**
     * @param samples the rounds of both setups, numerator and denominator told apart by subject and
     *                clients (the same subject at two loads is a comparison too)
     * @return empty when either side has no answered round
     */
    public static Optional<Ratio> of(String name, String numerator, int numeratorClients, String denominator,
            int denominatorClients, String path, List<Sample> samples) {
        List<Sample> top = rounds(samples, numerator, numeratorClients, path);
        List<Sample> bottom = rounds(samples, denominator, denominatorClients, path);
        if (top.isEmpty() || bottom.isEmpty()) {
            return Optional.empty();
        }
        double topMs = Spread.of(top.stream().map(Sample::servicesMsPerAnswer).toList()).median();
        double bottomMs = Spread.of(bottom.stream().map(Sample::servicesMsPerAnswer).toList()).median();
        var byRound = new ArrayList<Double>();
        // one subject at two loads: its rounds at each are separate measurements, none the other's partner
        boolean oneSubject = numerator.equals(denominator);
        for (Sample sample : oneSubject ? List.<Sample>of() : top) {
            bottom.stream().filter(other -> other.round() == sample.round()).findFirst()
                    .ifPresent(other -> byRound.add(sample.servicesMsPerAnswer() / other.servicesMsPerAnswer()));
        }
        double jit = java.util.stream.Stream.concat(top.stream(), bottom.stream()).mapToDouble(Sample::servicesJitShare).max()
                .orElse(Double.NaN);
        Spread rounds = byRound.isEmpty() ? null : Spread.of(byRound);
        boolean paired = rounds != null && byRound.size() == top.size() && byRound.size() == bottom.size();
        return Optional.of(new Ratio(name, numerator, denominator, path, numeratorClients, denominatorClients,
                paired ? rounds.median() : topMs / bottomMs, rounds, topMs, bottomMs, jit));
    }

    private static List<Sample> rounds(List<Sample> samples, String subject, int clients, String path) {
        Predicate<Sample> mine = s -> s.subject().equals(subject) && s.clients() == clients && s.path().equals(path)
                && s.answers() > 0;
        return samples.stream().filter(mine).toList();
    }
}
