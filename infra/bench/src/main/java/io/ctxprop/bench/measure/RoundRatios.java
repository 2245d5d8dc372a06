package io.ctxprop.bench.measure;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** Two sides of a comparison measured in alternating rounds: one figure's spread per side, and its ratio round by round. */
final class RoundRatios {

    private RoundRatios() {
    }

    /** The figure over a side's rounds. */
    static <T> Spread spread(Collection<T> rounds, ToDoubleFunction<T> figure) {
        return Spread.of(rounds.stream().map(figure::applyAsDouble).toList());
    }

    /** Round r of {@code other} over round r of {@code base}, for every round both sides have. */
    static <T> Spread ratios(Map<Integer, T> base, Map<Integer, T> other, ToDoubleFunction<T> figure) {
        var ratios = new ArrayList<Double>();
        base.forEach((round, sample) -> {
            T then = other.get(round);
            if (then != null) {
                ratios.add(figure.applyAsDouble(then) / figure.applyAsDouble(sample));
            }
        });
        return Spread.of(ratios);
    }
}
