package io.ctxprop.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {

    private static final Path ROOT = Path.of("/project");

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

    private static BenchOptions parse(String... args) {
        return BenchOptions.parse(args, ROOT, ROOT.resolve("services"));
    }
}
