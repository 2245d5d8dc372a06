package io.ctxprop.bench.measure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The warm-up ends on the JIT's share of the services' CPU in a slice, not on a flat curve. */
class WarmUpTest {

    @Test
    void aSliceWithTheJitUnderTwoPercentOfTheServicesCpuEndsIt() {
        assertThat(WarmUp.steady(List.of(point(2.0, 1.5), point(1.0, 0.019)))).as("1.9 %").isTrue();
        assertThat(WarmUp.steady(List.of(point(2.0, 1.5), point(1.0, 0.0)))).isTrue();
    }

    @Test
    void aFlatCurveWithTheJitStillBusyIsNotWarm() {
        // the old rule (two slices within 5 % of each other) called this steady; the JIT is still 10 %
        var flat = List.of(point(1.0, 0.11), point(1.0, 0.11), point(1.01, 0.11), point(0.99, 0.11));
        assertThat(WarmUp.steady(flat)).isFalse();
        assertThat(WarmUp.steady(List.of(point(2.0, 1.5), point(1.0, 0.0205)))).as("2.0 %, not under").isFalse();
    }

    @Test
    void theFirstSliceNeverEndsIt() {
        assertThat(WarmUp.steady(List.of(point(1.0, 0.0)))).isFalse();
        assertThat(WarmUp.steady(List.of())).isFalse();
    }

    @Test
    void aSliceWithoutAnswersIsNotWarm() {
        assertThat(WarmUp.steady(List.of(point(1.0, 0.5), point(Double.NaN, Double.NaN)))).isFalse();
        assertThat(WarmUp.steady(List.of(point(1.0, 0.5), point(0, 0)))).isFalse();
    }

    @Test
    void theShareIsOfTheServicesCpuJitIncluded() {
        assertThat(point(0.98, 0.02).jitShare()).isCloseTo(0.02, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(point(3.0, 1.0).jitShare()).isEqualTo(0.25);
    }

    private static WarmUp.Point point(double ms, double jitMs) {
        return new WarmUp.Point(10, 100, ms, jitMs);
    }
}
