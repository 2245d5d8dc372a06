package io.ctxprop.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ctxprop.bench.compare.Pairing;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which setups each mode measures, and so which pairs, and how their rounds are paced and measured. */
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
    void theSlowStackWarmsUpLongerThanAPairsOnlyWhereStacksAreWarmedForReal() {
        assertThat(BenchOptions.parse(new String[] {}, ROOT, ROOT).slowStackWarmUp()).isEqualTo(java.time.Duration.ofSeconds(240));
        assertThat(BenchOptions.parse(new String[] {"--jit-warm-up", "100"}, ROOT, ROOT).slowStackWarmUp())
                .isEqualTo(java.time.Duration.ofSeconds(160));
        assertThat(BenchOptions.parse(new String[] {"--quick"}, ROOT, ROOT).slowStackWarmUp()).isEqualTo(java.time.Duration.ofSeconds(5));
        assertThat(BenchOptions.parse(new String[] {"--smoke"}, ROOT, ROOT).slowStackWarmUp()).isZero();
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

    @Test
    void theCpuRoundsArePacedToSeventyPercentOfTheSlowerStackUnlessToldOtherwise() {
        assertThat(parse().pace()).isEqualTo(0.7);
        assertThat(parse("--quick").pace()).isEqualTo(0.7);
        assertThat(parse("--pace", "0.45").pace()).isEqualTo(0.45);
        assertThat(parse("--pace", "off").pace()).as("off: as fast as answers come").isZero();
        assertThat(parse("--pace", "0").pace()).isZero();
    }

    @Test
    void aPaceThatIsNotAShareOfWhatTheStackCanTakeIsRefused() {
        for (String pace : new String[] {"1", "1.5", "-0.2", "NaN"}) {
            assertThatThrownBy(() -> parse("--pace", pace)).as(pace).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("--pace");
        }
        assertThatThrownBy(() -> parse("--pace", "fast")).isInstanceOf(NumberFormatException.class);
    }

    @Test
    void theFullRunMeasuresFourRoundsOfFourSecondsPerSetupAndPath() {
        var full = parse();
        assertThat(full.rounds()).isEqualTo(4);
        assertThat(full.window().toSeconds()).isEqualTo(4);
        assertThat(parse("--rounds", "10", "--window", "2").rounds()).isEqualTo(10);
    }

    @Test
    void pairsAreMeasuredSideBySideUnlessToldToTakeTurns() {
        assertThat(parse().sideBySide()).isTrue();
        assertThat(parse("--one-at-a-time").sideBySide()).isFalse();
    }

    private static BenchOptions parse(String... args) {
        return BenchOptions.parse(args, ROOT, ROOT.resolve("services"));
    }
}
