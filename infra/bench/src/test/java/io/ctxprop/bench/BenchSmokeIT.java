package io.ctxprop.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.ctxprop.bench.measure.Sample;
import io.ctxprop.bench.measure.StreamSample;
import io.ctxprop.bench.report.BenchReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The harness end to end as {@code bench.sh --smoke} runs it: a broker, the model stand-in, the raw
 * baseline, the services without tracing and tracing to the inspector and a Phoenix endpoint, over
 * both paths at 16 clients and at 1, streamed answers over both transports at a few clients, the
 * carriers, and the result files.
 */
class BenchSmokeIT {

    @Test
    void aSmokeRunMeasuresEverySubjectOnBothPathsAndWritesItsResults() throws Exception {
        Path root = Path.of(System.getProperty("bench.root"));
        Path out = Path.of("target/bench-smoke").toAbsolutePath();
        // side by side, two stacks' samples report at once
        var lines = Collections.synchronizedList(new ArrayList<String>());
        var options = BenchOptions.parse(new String[] {"--smoke", "--out", out.toString()}, root,
                Path.of(System.getProperty("bench.services")));

        BenchReport report = new Bench(options, line -> {
            lines.add(line);
            System.out.println(line);
        }).run();

        // two pairs, each alive alone: inspector+phoenix with off, then off (a fresh stack) with raw
        assertThat(report.samples()).filteredOn(s -> s.clients() == 16)
                .extracting(s -> s.subject() + " " + s.path())
                .containsExactly("inspector+phoenix http", "off http", "inspector+phoenix kafka", "off kafka",
                        "off http", "raw http", "off kafka", "raw kafka");
        assertThat(report.samples()).filteredOn(s -> s.clients() == 1).hasSize(8)
                .as("each pair's two stacks answered their one client at once").allSatisfy(s -> assertThat(s.alongside()).isNotNull());
        assertThat(report.ratios()).extracting(r -> r.name() + " " + r.path()).containsExactly(
                "tracing's cost (traced / untraced) http", "tracing's cost (traced / untraced), concurrency 1 http",
                "tracing's cost (traced / untraced) kafka", "tracing's cost (traced / untraced), concurrency 1 kafka",
                "the framework's cost (untraced / raw) http", "the framework's cost (untraced / raw), concurrency 1 http",
                "the framework's cost (untraced / raw) kafka", "the framework's cost (untraced / raw), concurrency 1 kafka");
        assertThat(report.ratios()).allSatisfy(ratio -> assertThat(ratio.ratio()).as(ratio.name()).isPositive().isFinite());
        assertThat(report.jitShareMax()).as("the JIT's share is read in every window").isBetween(0.0, 1.0);
        assertThat(report.jitShareKept()).as("over the windows kept, at most the highest").isBetween(0.0, report.jitShareMax());
        for (Sample sample : report.samples()) {
            String what = sample.subject() + " " + sample.path() + " c=" + sample.clients();
            assertThat(sample.answers()).as(what + " answered").isPositive();
            assertThat(sample.errors() + sample.timeouts()).as(what + " failures").isZero();
            assertThat(sample.cpuMsPerAnswer(Sample.FRONT)).as(what + " front CPU").isPositive();
            assertThat(sample.cpuMsPerAnswer(Sample.BACK)).as(what + " back CPU").isPositive();
            assertThat(sample.peakRssMib()).as(what + " memory").allSatisfy((role, mib) -> assertThat(mib).isPositive());
        }
        assertThat(report.samples()).filteredOn(s -> s.subject().equals("inspector+phoenix") && s.clients() == 16)
                .allSatisfy(traced -> {
                    assertThat(traced.spans()).as("spans at the sink").isPositive();
                    assertThat(traced.traces()).as("traces").isPositive();
                    assertThat(traced.tracesWhole()).as("whole traces").isEqualTo(traced.traces());
                });
        assertThat(report.streamSamples()).extracting(s -> s.subject() + " " + s.transport())
                .containsExactlyInAnyOrder("off http", "inspector+phoenix http", "off kafka", "inspector+phoenix kafka");
        for (StreamSample sample : report.streamSamples()) {
            String what = sample.subject() + " " + sample.transport() + " streamed";
            assertThat(sample.clients()).as(what + " clients").isEqualTo(4);
            assertThat(sample.answers()).as(what + " answered").isPositive();
            assertThat(sample.errors() + sample.timeouts()).as(what + " failures").isZero();
            assertThat(sample.firstChunkP50Ms()).as(what + " first chunk").isPositive().isLessThan(sample.answerP50Ms());
            assertThat(sample.chunksPerAnswer()).as(what + " chunks per answer").isGreaterThan(1);
        }
        assertThat(report.streaming()).hasSize(4);
        assertThat(report.carriers()).hasSize(2).allSatisfy(hop -> assertThat(hop.nanosPerOp()).isPositive());
        assertThat(report.targets()).isNotEmpty();
        assertThat(List.of("results.json", "results.md")).allSatisfy(file -> assertThat(out.resolve(file)).isNotEmptyFile());
        assertThat(Files.readString(out.resolve("results.md"))).contains("| http | raw |", "## Primary figures: ratios within this run", "| kafka | inspector+phoenix |",
                "## Streamed answers: time to first chunk, 4 clients", "| inspector+phoenix | kafka | 4 |");
        assertThat(lines).anyMatch(line -> line.contains("inspector+phoenix") && line.contains("kafka"));
    }
}
