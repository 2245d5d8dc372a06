package io.ctxprop.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ctxprop.bench.measure.Sample;
import io.ctxprop.bench.measure.Samples;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A ratio from the rounds of one run: medians over medians, round by round beside it, the other path and load apart. */
class RatioTest {

    @Test
    void theRatioIsTheNumeratorsMedianOverTheDenominatorsWithTheRoundsSpreadBesideIt() {
        List<Sample> samples = List.of(
                Samples.of("inspector+phoenix", "http", 1, 16, 1.0, 1.2, 3), // 2.2
                Samples.of("off", "http", 1, 16, 1.0, 1.0, 3), // 2.0
                Samples.of("off", "http", 2, 16, 1.0, 1.2, 3), // 2.2
                Samples.of("inspector+phoenix", "http", 2, 16, 1.2, 1.2, 3), // 2.4
                Samples.of("inspector+phoenix", "http", 3, 16, 1.1, 1.2, 3), // 2.3
                Samples.of("off", "http", 3, 16, 1.0, 1.1, 3), // 2.1
                Samples.of("inspector+phoenix", "kafka", 1, 16, 9, 9, 3), // another path
                Samples.of("off", "http", 1, 1, 9, 9, 3)); // another load

        Ratio ratio = Ratio.of("tracing's cost", "inspector+phoenix", 16, "off", 16, "http", samples).orElseThrow();

        assertThat(ratio.numeratorMs()).isCloseTo(2.3, within(1e-9));
        assertThat(ratio.denominatorMs()).isCloseTo(2.1, within(1e-9));
        assertThat(ratio.ratio()).isCloseTo(2.3 / 2.1, within(1e-9));
        assertThat(ratio.rounds().rounds()).isEqualTo(3);
        assertThat(ratio.rounds().min()).isCloseTo(2.4 / 2.2, within(1e-9));
        assertThat(ratio.rounds().max()).isCloseTo(2.2 / 2.0, within(1e-9));
        assertThat(ratio.jitShare()).as("the highest: 0.05 s of JIT beside off's 2.0 s in round 1").isCloseTo(0.05 / 2.05, within(1e-9));
    }

    @Test
    void roundsThatAllPairUpGiveTheMedianOfTheirOwnRatiosSoThatADriftCancelsWithinEachRound() {
        // the machine's speed moves from round to round; three rounds' ratios are 1.1, one round's 0.8
        List<Sample> samples = List.of(
                Samples.of("inspector+phoenix", "http", 1, 16, 0.55, 0.55, 3), Samples.of("off", "http", 1, 16, 0.5, 0.5, 3),
                Samples.of("inspector+phoenix", "http", 2, 16, 1.1, 1.1, 3), Samples.of("off", "http", 2, 16, 1.0, 1.0, 3),
                Samples.of("inspector+phoenix", "http", 3, 16, 1.65, 1.65, 3), Samples.of("off", "http", 3, 16, 1.5, 1.5, 3),
                Samples.of("off", "http", 4, 16, 1.25, 1.25, 3), Samples.of("inspector+phoenix", "http", 4, 16, 1.0, 1.0, 3));

        Ratio ratio = Ratio.of("tracing's cost", "inspector+phoenix", 16, "off", 16, "http", samples).orElseThrow();

        assertThat(ratio.ratio()).isCloseTo(1.1, within(1e-9));
        assertThat(ratio.numeratorMs() / ratio.denominatorMs()).as("the medians' ratio, which the drift bends")
                .isCloseTo(2.1 / 2.25, within(1e-9));

        List<Sample> unpaired = List.of(Samples.of("inspector+phoenix", "http", 1, 16, 1.1, 1.1, 3),
                Samples.of("off", "http", 1, 16, 1.0, 1.0, 3), Samples.of("off", "http", 2, 16, 0.5, 0.5, 3));
        assertThat(Ratio.of("tracing's cost", "inspector+phoenix", 16, "off", 16, "http", unpaired).orElseThrow().ratio())
                .as("a round without its partner: the medians' ratio, 2.2 / 1.5").isCloseTo(2.2 / 1.5, within(1e-9));
    }

    @Test
    void oneSubjectAtTwoLoadsIsARatioToo() {
        // the 16-client reference in two rounds, the 1,000-client window once: medians, no round-by-round pairing
        List<Sample> samples = List.of(Samples.of("slow", "kafka", 1, 16, 1.0, 1.5, 3), Samples.of("slow", "kafka", 2, 16, 1.0, 1.0, 3),
                Samples.of("slow", "kafka", 1, 1000, 2.5, 2.5, 1000));

        Ratio ratio = Ratio.of("cost at 1,000 clients / at 16", "slow", 1000, "slow", 16, "kafka", samples).orElseThrow();

        assertThat(ratio.ratio()).isCloseTo(5.0 / 2.25, within(1e-9));
        assertThat(ratio.rounds()).as("round 1 at 1,000 clients is no partner of round 1 at 16").isNull();
    }

    @Test
    void noRatioWithoutRoundsOnBothSides() {
        List<Sample> samples = List.of(Samples.of("inspector+phoenix", "http", 1, 16, 1, 1, 3));

        assertThat(Ratio.of("tracing's cost", "inspector+phoenix", 16, "off", 16, "http", samples)).isEmpty();
        assertThat(Ratio.of("tracing's cost", "inspector+phoenix", 16, "off", 16, "kafka", samples)).isEmpty();
    }
}
