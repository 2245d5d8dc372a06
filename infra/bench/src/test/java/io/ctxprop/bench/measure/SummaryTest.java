package io.ctxprop.bench.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class SummaryTest {

    @Test
    void theMedianOfTheRoundsWithTheLowestAndHighest() {
        var summaries = Summary.of(List.of(
                Samples.of("off", "http", 1, 16, 0.40, 0.30, 2),
                Samples.of("off", "http", 2, 16, 0.50, 0.40, 3),
                Samples.of("off", "http", 3, 16, 0.45, 0.35, 9)));

        var off = summaries.getFirst();
        assertThat(summaries).hasSize(1);
        assertThat(off.servicesMs().median()).isCloseTo(0.80, within(1e-9));
        assertThat(off.servicesMs().min()).isCloseTo(0.70, within(1e-9));
        assertThat(off.servicesMs().max()).isCloseTo(0.90, within(1e-9));
        assertThat(off.frontMs()).isCloseTo(0.45, within(1e-9));
        assertThat(off.p50Ms().median()).isEqualTo(3);
        assertThat(off.servicesMs().text("%.2f")).isEqualTo("0.80 (0.70-0.90)");
    }

    @Test
    void subjectsPathsAndConcurrencyAreSummedApart() {
        var summaries = Summary.of(List.of(
                Samples.of("off", "http", 1, 16, 0.4, 0.3, 2),
                Samples.of("off", "kafka", 1, 16, 0.5, 0.4, 2),
                Samples.of("off", "http", 1, 1, 0.9, 0.9, 1),
                Samples.of("agent", "http", 1, 16, 0.6, 0.6, 2)));

        assertThat(summaries).extracting(s -> s.subject() + " " + s.path() + " " + s.clients())
                .containsExactly("off http 16", "off kafka 16", "off http 1", "agent http 16");
    }

    @Test
    void theWarmUpIsSteadyWhenTwoSlicesInARowMoveUnderFivePercent() {
        assertThat(WarmUp.steady(List.of(point(2.0), point(1.2), point(1.0)))).isFalse();
        assertThat(WarmUp.steady(List.of(point(2.0), point(1.0), point(0.97), point(0.99)))).isTrue();
        assertThat(WarmUp.steady(List.of(point(1.0), point(0.99)))).as("two slices are not a curve").isFalse();
    }

    private static WarmUp.Point point(double ms) {
        return new WarmUp.Point(10, 100, ms, 0);
    }
}
