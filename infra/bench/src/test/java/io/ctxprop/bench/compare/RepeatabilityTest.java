package io.ctxprop.bench.compare;

import static io.ctxprop.bench.compare.Runs.ratio;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The acceptance: two runs' ratios within 10 % of each other, each run's JIT share under 2 %. */
class RepeatabilityTest {

    static final String TRACING = "tracing's cost (traced / untraced)";
    static final String FRAMEWORK = "the framework's cost (untraced / raw)";

    @Test
    void runsWhoseRatiosAreAllWithinTenPercentAgree() {
        var repeat = Repeatability.of(
                List.of(ratio(TRACING, "http", 1.16), ratio(TRACING, "kafka", 1.05), ratio(FRAMEWORK, "http", 1.30)),
                List.of(ratio(FRAMEWORK, "http", 1.25), ratio(TRACING, "http", 1.20), ratio(TRACING, "kafka", 1.00)));

        assertThat(repeat.rows()).extracting(Repeatability.Row::name, Repeatability.Row::path).containsExactly(
                org.assertj.core.groups.Tuple.tuple(TRACING, "http"), org.assertj.core.groups.Tuple.tuple(TRACING, "kafka"),
                org.assertj.core.groups.Tuple.tuple(FRAMEWORK, "http"));
        assertThat(repeat.rows().getFirst().difference()).isEqualTo(0.04 / 1.16, within(1e-12));
        assertThat(repeat.rows().get(1).difference()).isEqualTo(0.05 / 1.05, within(1e-12));
        assertThat(repeat.rows()).allMatch(Repeatability.Row::within);
        assertThat(repeat.agree()).isTrue();
    }

    @Test
    void theAgentsPairUnderItsFormerNameIsTheSameRow() {
        var repeat = Repeatability.of(List.of(ratio("ours against the Java agent (both to one collector)", "http", 0.80)),
                List.of(ratio("ours against the Java agent (each to an OTLP sink)", "http", 0.84)));

        assertThat(repeat.rows()).hasSize(1);
        assertThat(repeat.rows().getFirst().second()).isEqualTo(0.84);
        assertThat(repeat.agree()).isTrue();
    }

    @Test
    void oneRatioElevenPercentApartMeansTheRunsDoNotAgree() {
        var higher = Repeatability.of(List.of(ratio(TRACING, "http", 1.16), ratio(TRACING, "kafka", 1.00)),
                List.of(ratio(TRACING, "http", 1.16), ratio(TRACING, "kafka", 1.11)));
        var lower = Repeatability.of(List.of(ratio(TRACING, "kafka", 1.00)), List.of(ratio(TRACING, "kafka", 0.89)));

        assertThat(higher.rows().get(1).difference()).isEqualTo(0.11, within(1e-9));
        assertThat(higher.rows().get(1).within()).isFalse();
        assertThat(higher.rows().getFirst().within()).isTrue();
        assertThat(higher.agree()).isFalse();
        assertThat(lower.agree()).isFalse();
    }

    @Test
    void exactlyTenPercentIsWithinAndAHairMoreIsNot() {
        assertThat(Repeatability.of(List.of(ratio(TRACING, "http", 1.0)), List.of(ratio(TRACING, "http", 1.1))).agree()).isTrue();
        assertThat(Repeatability.of(List.of(ratio(TRACING, "http", 1.0)), List.of(ratio(TRACING, "http", 0.9))).agree()).isTrue();
        assertThat(Repeatability.of(List.of(ratio(TRACING, "http", 1.0)), List.of(ratio(TRACING, "http", 1.1001))).agree()).isFalse();
        // relative to run A: 1.1 -> 0.99 is 0.11, 10 % of 1.1
        assertThat(Repeatability.of(List.of(ratio(TRACING, "http", 1.1)), List.of(ratio(TRACING, "http", 0.99))).agree()).isTrue();
    }

    @Test
    void aRatioInOneRunOnlyIsListedAndDoesNotAgree() {
        var missingInB = Repeatability.of(List.of(ratio(TRACING, "http", 1.16), ratio(TRACING, "kafka", 1.05)),
                List.of(ratio(TRACING, "http", 1.16)));
        var missingInA = Repeatability.of(List.of(ratio(TRACING, "http", 1.16)),
                List.of(ratio(TRACING, "http", 1.16), ratio(FRAMEWORK, "kafka", 1.40)));

        assertThat(missingInB.rows()).hasSize(2);
        assertThat(missingInB.rows().get(1).first()).isEqualTo(1.05);
        assertThat(missingInB.rows().get(1).second()).isNull();
        assertThat(missingInB.rows().get(1).within()).isFalse();
        assertThat(missingInB.agree()).isFalse();
        assertThat(missingInA.rows().get(1).first()).isNull();
        assertThat(missingInA.rows().get(1).second()).isEqualTo(1.40);
        assertThat(missingInA.agree()).isFalse();
        assertThat(missingInA.withinCount()).isEqualTo(1);
    }

    @Test
    void theSameRatioAtOtherLoadsIsNotTheSameRatio() {
        var repeat = Repeatability.of(List.of(ratio(TRACING, "http", 16, 1.16)), List.of(ratio(TRACING, "http", 32, 1.16)));

        assertThat(repeat.rows()).hasSize(2);
        assertThat(repeat.agree()).isFalse();
    }

    @Test
    void nothingToCompareOrNoNumberIsNoAgreement() {
        assertThat(Repeatability.of(List.of(), List.of()).agree()).isFalse();
        assertThat(Repeatability.of(List.of(ratio(TRACING, "http", Double.NaN)), List.of(ratio(TRACING, "http", Double.NaN))).agree())
                .isFalse();
        assertThat(Repeatability.of(List.of(ratio(TRACING, "http", 0)), List.of(ratio(TRACING, "http", 0))).agree()).isFalse();
    }

    @Test
    void aRunIsWarmOnlyWithItsJitShareUnderTwoPercent() {
        assertThat(Repeatability.warm(0.0199)).isTrue();
        assertThat(Repeatability.warm(0.02)).isFalse();
        assertThat(Repeatability.warm(0.05)).isFalse();
        assertThat(Repeatability.warm(Double.NaN)).isFalse();
    }
}
