package io.ctxprop.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ctxprop.bench.compare.Pairing;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which setups each mode measures, and so which pairs: the full run's three comparisons fit its 25 minutes. */
class BenchOptionsTest {

    static final Path ROOT = Path.of("/tmp/ctxprop-bench-options");

    @Test
    void theFullRunMeasuresThreePairsAndTheInspectorOnlyWhenNamed() {
        var full = BenchOptions.parse(new String[] {}, ROOT, ROOT);

        assertThat(Pairing.plan(full::runs)).extracting(pair -> pair.members()).containsExactly(
                List.of("inspector+phoenix", "off"), List.of("off", "raw"), List.of("collector", "agent"));
        assertThat(full.runs("slow")).isTrue();
        assertThat(full.jitWarmUp().toSeconds()).isEqualTo(150);

        var named = BenchOptions.parse(new String[] {"--only", "inspector,off"}, ROOT, ROOT);
        assertThat(Pairing.plan(named::runs)).extracting(pair -> pair.members()).containsExactly(List.of("off"), List.of("inspector"));
    }

    @Test
    void theQuickRunMeasuresTheTwoPrimaryPairsBriefly() {
        var quick = BenchOptions.parse(new String[] {"--quick"}, ROOT, ROOT);

        assertThat(Pairing.plan(quick::runs)).extracting(pair -> pair.members()).containsExactly(
                List.of("inspector+phoenix", "off"), List.of("off", "raw"));
        assertThat(quick.runs("slow")).isFalse();
        assertThat(quick.jitWarmUp().toSeconds()).isEqualTo(5);
    }

    @Test
    void compareTakesTwoResultsFilesAndNothingElse() {
        var compare = BenchOptions.parse(new String[] {"--compare", "run1/results.json", "/tmp/run2/results.json"}, ROOT, ROOT).compare();

        assertThat(compare.first()).isEqualTo(Path.of("run1/results.json").toAbsolutePath());
        assertThat(compare.second()).isEqualTo(Path.of("/tmp/run2/results.json"));
        assertThat(BenchOptions.parse(new String[] {"--quick"}, ROOT, ROOT).compare()).isNull();
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--compare", "run1/results.json"}, ROOT, ROOT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("two results.json");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--compare", "run1/results.json", "--quick"}, ROOT, ROOT))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
