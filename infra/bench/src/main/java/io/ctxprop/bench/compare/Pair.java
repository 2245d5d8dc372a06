package io.ctxprop.bench.compare;

import java.util.List;

/**
 * Two setups whose stacks are alive together and measured in alternating rounds, so the machine's drift
 * falls on both alike; their ratio {@code numerator / denominator} is one of the run's primary figures.
 * A setup that no comparison pairs runs alone ({@code denominator} null).
 *
 * @param name what the ratio tells, e.g. "tracing's cost"
 */
public record Pair(String name, String numerator, String denominator) {

    public boolean single() {
        return denominator == null;
    }

    public List<String> members() {
        return single() ? List.of(numerator) : List.of(numerator, denominator);
    }

    /**
     * The order of round {@code round} (from 1): the members, turned round every other round (A B, B A, A B,
     * ...), so neither always runs first after a pause nor always second after the other's load.
     */
    public List<String> order(int round) {
        if (round < 1) {
            throw new IllegalArgumentException("rounds count from 1, was " + round);
        }
        return round % 2 == 1 ? members() : members().reversed();
    }
}
