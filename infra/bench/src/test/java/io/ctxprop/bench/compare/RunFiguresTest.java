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
        assertThat(run.keptJitShare()).as("0.025 s of JIT in 2 s of the services' CPU").isCloseTo(0.0125, within(1e-12));
        assertThat(run.jitShareKept()).isCloseTo(0.0125, within(1e-12));
        assertThat(run.withSetAsideJitShare()).as("nothing set aside").isCloseTo(0.0125, within(1e-12));
        assertThat(Repeatability.warm(run.keptJitShare())).isTrue();
    }

    @Test
    void theRunsJitShareIsItsWindowsTogetherEachWeighingItsCpu(@TempDir Path folder) throws Exception {
        // 0.05 s of JIT in 0.5 s, and 0.095 s in 9.5 s: 1.45 % by CPU; the mean of the two shares would say 5.5 %
        var weighted = List.of(window("off", 0.10, 0.5), window("off", 0.01, 9.5));
        var everywhere = List.of(window("off", 0.03), window("off", 0.03), window("off", 0.02), window("off", 0.01));

        var warm = RunFigures.read(Runs.write(Files.createDirectories(folder.resolve("a")), Runs.report("2026-12-06T20:00Z",
                List.of(ratio("tracing's cost (traced / untraced)", "http", 1.16)), weighted)));
        var cold = RunFigures.read(Runs.write(Files.createDirectories(folder.resolve("b")), Runs.report("2026-12-06T20:00Z",
                List.of(ratio("tracing's cost (traced / untraced)", "http", 1.16)), everywhere)));

        assertThat(warm.keptJitShare()).isCloseTo(0.0145, within(1e-12));
        assertThat(warm.highestJitShare()).isCloseTo(0.10, within(1e-12));
        assertThat(Repeatability.warm(warm.keptJitShare())).isTrue();
        assertThat(cold.keptJitShare()).isCloseTo(0.0225, within(1e-12));
        assertThat(Repeatability.warm(cold.keptJitShare())).isFalse();
    }

    @Test
    void aWindowWithoutAJitReadingIsLeftOutNotCountedAsNone(@TempDir Path folder) throws Exception {
        var run = RunFigures.read(Runs.write(folder, Runs.report("2026-12-06T20:00Z",
                List.of(ratio("tracing's cost (traced / untraced)", "http", 1.16)),
                List.of(window("off", 0.03), Runs.windowWithoutJit("inspector+phoenix")))));

        assertThat(run.keptJitShare()).as("10 s of CPU without a JIT reading would make it 0.27 %").isCloseTo(0.03, within(1e-12));
    }

    @Test
    void theWindowsSetAsideForTheirJitAreCountedInTheirOwnFigure(@TempDir Path folder) throws Exception {
        var file = Runs.write(folder, Runs.report("2026-12-06T20:00Z", List.of(ratio("tracing's cost (traced / untraced)", "http", 1.16)),
                List.of(window("off", 0.01), window("off", 0.01)), List.of(window("off", 0.06), window("off", 0.04))));

        var run = RunFigures.read(file);

        assertThat(run.keptJitShare()).isCloseTo(0.01, within(1e-12));
        assertThat(run.withSetAsideJitShare()).isCloseTo(0.03, within(1e-12));
        assertThat(run.highestJitShare()).as("of the windows kept").isCloseTo(0.01, within(1e-12));
        var mapper = JsonMapper.builder().build();
        var json = (ObjectNode) mapper.readTree(file.toFile());
        json.remove("jitShareKept");
        json.remove("jitShareWithSetAside");
        Files.writeString(file, mapper.writeValueAsString(json));
        assertThat(RunFigures.read(file).withSetAsideJitShare()).as("found from the listed windows").isCloseTo(0.03, within(1e-12));
    }

    @Test
    void aFileWrittenBeforeJitShareMaxFindsItInItsSamples(@TempDir Path folder) throws Exception {
        var file = Runs.write(folder, Runs.report("2026-12-06T20:00Z", List.of(ratio("tracing's cost (traced / untraced)", "http", 1.16)),
                List.of(window("off", 0.0199), window("inspector+phoenix", 0.004))));
        var mapper = JsonMapper.builder().build();
        var json = (ObjectNode) mapper.readTree(file.toFile());
        assertThat(json.remove("jitShareMax")).isNotNull();
        assertThat(json.remove("jitShareKept")).isNotNull();
        assertThat(json.remove("jitShareWithSetAside")).isNotNull();
        assertThat(json.remove("setAside")).isNotNull();
        Files.writeString(file, mapper.writeValueAsString(json));

        var run = RunFigures.read(file);

        assertThat(run.jitShareMax()).isNull();
        assertThat(run.jitShareKept()).isNull();
        assertThat(run.highestJitShare()).isEqualTo(0.0199, within(1e-12));
        assertThat(run.keptJitShare()).isEqualTo((0.0199 + 0.004) / 2, within(1e-12));
        assertThat(run.withSetAsideJitShare()).as("no list of the windows set aside: unknown").isNaN();
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
        assertThat(run.keptJitShare()).isNaN();
        assertThat(Repeatability.warm(run.keptJitShare())).isFalse();
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
