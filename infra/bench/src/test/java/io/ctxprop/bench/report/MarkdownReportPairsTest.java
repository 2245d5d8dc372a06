package io.ctxprop.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.ctxprop.bench.compare.Runs;
import io.ctxprop.bench.measure.Sample;
import io.ctxprop.bench.measure.Samples;
import io.ctxprop.bench.measure.StreamSummary;
import io.ctxprop.bench.measure.Summary;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The latency section says how the concurrency-1 rounds were taken, from what the samples say. */
class MarkdownReportPairsTest {

    @Test
    void namesThePairsThatAnsweredTheirOneClientSideBySide() {
        var report = report(List.of(
                Samples.of("off", "http", 1, 1, 0.9, 0.9, 2.0).alongside("inspector+phoenix"),
                Samples.of("inspector+phoenix", "http", 1, 1, 1.0, 1.0, 2.1).alongside("off"),
                Samples.of("raw", "http", 1, 1, 0.4, 0.4, 0.9).alongside("off"),
                // the 16-client rounds beside each other do not count here
                Samples.of("collector", "http", 1, 16, 0.5, 0.5, 2.0).alongside("agent")));

        String text = MarkdownReport.oneClientPairs(report);

        assertThat(text).startsWith("Side by side").contains("inspector+phoenix with off, off with raw").doesNotContain("agent");
        assertThat(MarkdownReport.render(report)).contains(text);
    }

    @Test
    void saysTheStacksTookTurnsWhenNoOneClientRoundWasSideBySide() {
        var report = report(List.of(
                Samples.of("off", "http", 1, 1, 0.9, 0.9, 2.0),
                Samples.of("inspector+phoenix", "http", 1, 1, 1.0, 1.0, 2.1),
                Samples.of("off", "http", 1, 16, 0.5, 0.5, 2.0).alongside("inspector+phoenix")));

        assertThat(MarkdownReport.oneClientPairs(report)).contains("one stack after the other").doesNotContain("Side by side");
    }

    @Test
    void saysNothingOfConcurrencyOneWhereTheRunHadNoSuchRound() {
        var report = report(List.of(Samples.of("collector", "http", 1, 16, 0.5, 0.5, 2.0).alongside("agent")));

        assertThat(MarkdownReport.oneClientPairs(report)).isEmpty();
    }

    @Test
    void theSlowModelSectionSaysItsCostIsReadAgainstTheSameStackAtSixteenClients() {
        var withReference = report(List.of(Samples.of("slow", "kafka", 1, 16, 0.5, 0.5, 2.0), Samples.slow("kafka", 900, 0, 0, 10, 10, 0)));
        var without = report(List.of(Samples.slow("kafka", 900, 0, 0, 10, 10, 0)));

        assertThat(MarkdownReport.render(withReference)).contains("read against the same stack's at 16 clients");
        assertThat(MarkdownReport.render(without)).doesNotContain("read against the same stack's");
    }

    @Test
    void theRatioSectionCountsTheWindowsSetAsideAndTheShareWithThemOnlyWhereThereWereAny() {
        var kept = List.of(Runs.window("off", 0.01), Runs.window("off", 0.01));
        var withBursts = Runs.report("2026-12-07T08:00Z", List.of(), kept,
                List.of(Runs.window("off", 0.07)));
        var without = Runs.report("2026-12-07T08:00Z", List.of(), kept);

        assertThat(MarkdownReport.setAsideText(withBursts)).contains("1 window(s) in which the JIT used 2 % or more")
                .contains("with them counted, the share is 3.00 %");
        assertThat(MarkdownReport.setAsideText(without)).isEmpty();
    }

    @Test
    void eachRatioSaysTheJitInItsOwnWindowsTogetherWithThoseSetAsideAndAtTheHighest() {
        var tracing = Runs.ratio("tracing's cost (traced / untraced)", "http", 1.16);
        var report = Runs.report("2026-12-07T08:00Z", List.of(tracing),
                List.of(Runs.window("off", 0.01), Runs.window("inspector+phoenix", 0.01), Runs.window("raw", 0.5)),
                List.of(Runs.window("off", 0.07), Runs.window("raw", 0.9)));

        assertThat(MarkdownReport.ratioTable(report)).contains("| 1.0, 3.0, 1.0 % |");
    }

    private static BenchReport report(List<Sample> samples) {
        var summaries = Summary.of(samples);
        return new BenchReport("infra/bench/bench.sh", "2026-12-07T08:00Z", 1, Map.of("cores", "2"), "", 16, 1000, Map.of(),
                List.of(), samples, summaries, List.of(), List.of(), 100, 20, List.of(), StreamSummary.of(List.of()), List.of(),
                List.of(), List.of());
    }
}
