package io.ctxprop.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** At most two stacks alive at a time, each comparison's pair together, their rounds alternating. */
class PairingTest {

    @Test
    void everySetupMeasuresEachComparisonAsAPairAndALeftOverSetupAlone() {
        var all = Set.of("raw", "off", "inspector", "inspector+phoenix", "collector", "agent");

        List<Pair> plan = Pairing.plan(all::contains);

        assertThat(plan).extracting(Pair::numerator, Pair::denominator).containsExactly(
                org.assertj.core.groups.Tuple.tuple("inspector+phoenix", "off"),
                org.assertj.core.groups.Tuple.tuple("off", "raw"),
                org.assertj.core.groups.Tuple.tuple("collector", "agent"),
                org.assertj.core.groups.Tuple.tuple("inspector", null));
        assertThat(plan).allSatisfy(pair -> assertThat(pair.members()).hasSizeLessThanOrEqualTo(2).doesNotHaveDuplicates());
    }

    @Test
    void theQuickRunsSetupsMakeTheTwoPrimaryPairs() {
        List<Pair> plan = Pairing.plan(Set.of("raw", "off", "inspector+phoenix")::contains);

        assertThat(plan).extracting(Pair::name).containsExactly("tracing's cost (traced / untraced)",
                "the framework's cost (untraced / raw)");
    }

    @Test
    void aSetupNoRunningComparisonCoversRunsAlone() {
        List<Pair> plan = Pairing.plan(Set.of("agent", "off")::contains);

        assertThat(plan).extracting(Pair::members).containsExactly(List.of("off"), List.of("agent"));
        assertThat(plan).allSatisfy(pair -> assertThat(pair.single()).isTrue());
        assertThat(Pairing.plan(Set.of()::contains)).isEmpty();
    }

    @Test
    void roundsAlternateTheOrderOfThePair() {
        var pair = new Pair("tracing's cost", "inspector+phoenix", "off");

        assertThat(pair.order(1)).containsExactly("inspector+phoenix", "off");
        assertThat(pair.order(2)).containsExactly("off", "inspector+phoenix");
        assertThat(pair.order(3)).containsExactly("inspector+phoenix", "off");
        assertThat(new Pair("x alone", "x", null).order(2)).containsExactly("x");
        assertThatThrownBy(() -> pair.order(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
