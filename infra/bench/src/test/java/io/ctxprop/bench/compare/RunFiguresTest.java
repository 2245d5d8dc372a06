package io.ctxprop.bench.compare;

import static io.ctxprop.bench.compare.Runs.ratio;
import static io.ctxprop.bench.compare.Runs.window;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** results.json as the bench writes it, read back for a comparison of runs. */
class RunFiguresTest {

    @Test
    void readsWhatTheWriterWrote(@TempDir Path folder) throws Exception {
        var ratios = List.of(ratio("tracing's cost (traced / untraced)", "http", 1.16), ratio("tracing's cost (traced / untraced)", "kafka", 1.05));
        var exactlyTwoPercent = window("off", 0.02);
        assertThat(exactlyTwoPercent.servicesJitShare()).isEqualTo(0.02);
        var file = Runs.write(folder, Runs.report("2026-12-06T20:00Z", ratios, List.of(window("inspector+phoenix", 0.005),
                exactlyTwoPercent)));

        var run = RunFigures.read(file);

        assertThat(JsonMapper.builder().build().readTree(file.toFile()).path("jitShareMax").asDouble()).isEqualTo(0.02);
        assertThat(run.ratios()).isEqualTo(ratios);
        assertThat(run.command()).isEqualTo("infra/bench/bench.sh");
        assertThat(run.started()).isEqualTo("2026-12-06T20:00Z");
        assertThat(run.minutes()).isEqualTo(21.5);
        assertThat(run.machine()).containsExactly(org.assertj.core.api.Assertions.entry("cpu", "Test CPU"),
                org.assertj.core.api.Assertions.entry("cores", "2"));
        assertThat(run.jitShareMax()).isEqualTo(0.02);
        assertThat(run.highestJitShare()).isEqualTo(0.02);
        assertThat(run.overallJitShare()).as("0.025 s of JIT in 2 s of the services' CPU").isCloseTo(0.0125, within(1e-12));
        assertThat(Repeatability.warm(run.overallJitShare())).isTrue();
    }

    @Test
    void theRunsJitShareIsItsWindowsTogetherNotTheirHighest(@TempDir Path folder) throws Exception {
        var oneBurst = List.of(window("off", 0.03), window("off", 0.01), window("off", 0.01), window("off", 0.01));
        var everywhere = List.of(window("off", 0.03), window("off", 0.03), window("off", 0.02), window("off", 0.01));

        var warm = RunFigures.read(Runs.write(Files.createDirectories(folder.resolve("a")), Runs.report("2026-12-06T20:00Z",
                List.of(ratio("tracing's cost (traced / untraced)", "http", 1.16)), oneBurst)));
        var cold = RunFigures.read(Runs.write(Files.createDirectories(folder.resolve("b")), Runs.report("2026-12-06T20:00Z",
                List.of(ratio("tracing's cost (traced / untraced)", "http", 1.16)), everywhere)));

        assertThat(warm.overallJitShare()).isCloseTo(0.015, within(1e-12));
        assertThat(warm.highestJitShare()).isEqualTo(0.03);
        assertThat(Repeatability.warm(warm.overallJitShare())).isTrue();
        assertThat(cold.overallJitShare()).isCloseTo(0.0225, within(1e-12));
        assertThat(Repeatability.warm(cold.overallJitShare())).isFalse();
    }

    @Test
    void aFileWrittenBeforeJitShareMaxFindsItInItsSamples(@TempDir Path folder) throws Exception {
        var file = Runs.write(folder, Runs.report("2026-12-06T20:00Z", List.of(ratio("tracing's cost (traced / untraced)", "http", 1.16)),
                List.of(window("off", 0.0199), window("inspector+phoenix", 0.004))));
        var mapper = JsonMapper.builder().build();
        var json = (ObjectNode) mapper.readTree(file.toFile());
        assertThat(json.remove("jitShareMax")).isNotNull();
        assertThat(json.remove("jitShareOverall")).isNotNull();
        Files.writeString(file, mapper.writeValueAsString(json));

        var run = RunFigures.read(file);

        assertThat(run.jitShareMax()).isNull();
        assertThat(run.jitShareOverall()).isNull();
        assertThat(run.highestJitShare()).isEqualTo(0.0199, within(1e-12));
        assertThat(run.overallJitShare()).isEqualTo((0.0199 + 0.004) / 2, within(1e-12));
    }

    @Test
    void aFileWrittenBeforeRoundsWerePacedReadsItsSamplesAsUnpaced(@TempDir Path folder) throws Exception {
        var file = Runs.write(folder, Runs.report("2026-12-06T20:00Z", List.of(ratio("tracing's cost (traced / untraced)", "http", 1.16)),
                List.of(window("off", 0.01))));
        var mapper = JsonMapper.builder().build();
        var json = (ObjectNode) mapper.readTree(file.toFile());
        for (var sample : json.withArray("samples")) {
            assertThat(((ObjectNode) sample).remove("offeredRate")).isNotNull();
            ((ObjectNode) sample).remove("alongside");
        }
        Files.writeString(file, mapper.writeValueAsString(json));

        var run = RunFigures.read(file);

        assertThat(run.samples()).singleElement().satisfies(sample -> {
            assertThat(sample.offeredRate()).isZero();
            assertThat(sample.alongside()).isNull();
        });
    }

    @Test
    void aRunWithoutAnyJitFigureReadsAsNotWarm(@TempDir Path folder) throws Exception {
        var noJit = new Ratio("tracing's cost (traced / untraced)", "inspector+phoenix", "off", "http", 16, 16, 1.16, null, 0.9, 0.8,
                Double.NaN);
        var file = Runs.write(folder, Runs.report("2026-12-06T20:00Z", List.of(noJit), List.of()));

        var run = RunFigures.read(file);

        assertThat(run.ratios()).hasSize(1);
        assertThat(run.ratios().getFirst().jitShare()).isNaN();
        assertThat(run.ratios().getFirst().rounds()).isNull();
        assertThat(run.highestJitShare()).isNaN();
        assertThat(run.overallJitShare()).isNaN();
        assertThat(Repeatability.warm(run.overallJitShare())).isFalse();
    }

    @Test
    void aFileThatIsNoResultsJsonIsRefusedByName(@TempDir Path folder) throws Exception {
        var other = Files.writeString(folder.resolve("other.json"), "{\"hello\": 1}");
        var garbage = Files.writeString(folder.resolve("garbage.json"), "not json at all");

        assertThatThrownBy(() -> RunFigures.read(other)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(other.toString()).hasMessageContaining("ratios");
        assertThatThrownBy(() -> RunFigures.read(garbage)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(garbage.toString());
    }
}
