package io.ctxprop.bench.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class SummaryTest {

    @Test
    void theMedianOfTheRoundsWithTheLowestAndHighest() {
        var summaries = Summary.of(List.of(
                Samples.of("off", "http", 1, 16, 0.40, 0.30, 2),
                Samples.of("off", "http", 2, 16, 0.50, 0.40, 3),
                Samples.of("off", "http", 3, 16, 0.45, 0.35, 9)));

        var off = summaries.getFirst();
        assertThat(summaries).hasSize(1);
        assertThat(off.servicesMs().median()).isCloseTo(0.80, within(1e-9));
        assertThat(off.servicesMs().min()).isCloseTo(0.70, within(1e-9));
        assertThat(off.servicesMs().max()).isCloseTo(0.90, within(1e-9));
        assertThat(off.frontMs()).isCloseTo(0.45, within(1e-9));
        assertThat(off.p50Ms().median()).isEqualTo(3);
        assertThat(off.servicesMs().text("%.2f")).isEqualTo("0.80 (0.70-0.90)");
    }

    @Test
    void subjectsPathsAndConcurrencyAreSummedApart() {
        var summaries = Summary.of(List.of(
                Samples.of("off", "http", 1, 16, 0.4, 0.3, 2),
                Samples.of("off", "kafka", 1, 16, 0.5, 0.4, 2),
                Samples.of("off", "http", 1, 1, 0.9, 0.9, 1),
                Samples.of("agent", "http", 1, 16, 0.6, 0.6, 2)));

        assertThat(summaries).extracting(s -> s.subject() + " " + s.path() + " " + s.clients())
                .containsExactly("off http 16", "off kafka 16", "off http 1", "agent http 16");
    }

    @Test
    void streamedAnswersAreSummedBySetupTransportAndClientsOverTheirRounds() {
        var summaries = StreamSummary.of(List.of(
                Samples.streamed("inspector+phoenix", "kafka", 1, 100, 40, 120, 700, 900, 31, 2, 1),
                Samples.streamed("off", "kafka", 1, 100, 30, 90, 650, 800, 31, 0, 0),
                Samples.streamed("inspector+phoenix", "kafka", 2, 100, 50, 150, 720, 950, 29, 3, 0),
                Samples.streamed("inspector+phoenix", "kafka", 3, 100, 45, 130, 710, 1000, 31, 0, 0),
                Samples.streamed("inspector+phoenix", "http", 1, 100, 10, 20, 610, 630, 31, 0, 0)));

        assertThat(summaries).extracting(s -> s.subject() + " " + s.transport() + " " + s.clients())
                .containsExactly("inspector+phoenix kafka 100", "off kafka 100", "inspector+phoenix http 100");
        var traced = summaries.getFirst();
        assertThat(traced.firstChunkP50Ms().median()).isEqualTo(45);
        assertThat(traced.firstChunkP50Ms().min()).isEqualTo(40);
        assertThat(traced.firstChunkP50Ms().max()).isEqualTo(50);
        assertThat(traced.firstChunkP99Ms()).isEqualTo(130);
        assertThat(traced.answerP50Ms().median()).isEqualTo(710);
        assertThat(traced.answerP99Ms()).isEqualTo(950);
        assertThat(traced.chunksPerAnswer()).as("over every answer of every round").isCloseTo(91 / 3.0, within(1e-9));
        assertThat(traced.answers()).isEqualTo(1500);
        assertThat(traced.errors()).isEqualTo(5);
        assertThat(traced.mismatches()).isEqualTo(1);
        assertThat(traced.throughput()).isEqualTo(50);
        assertThat(traced.traces()).isEqualTo(1500);
        assertThat(traced.tracesWhole()).isEqualTo(1500);
        assertThat(summaries.get(1).traces()).as("the sink does not see off's spans").isNull();
    }

    @Test
    void aWindowWithoutAnswersHasNoChunksPerAnswer() {
        var none = new StreamSample("off", "http", 1, 100, 3, 0, 7, 2, 0, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0,
                null, null);
        var summary = StreamSummary.of(List.of(none)).getFirst();

        assertThat(none.chunksPerAnswer()).isNaN();
        assertThat(summary.chunksPerAnswer()).isNaN();
        assertThat(summary.firstChunkP50Ms().text("%.1f")).isEqualTo("-");
        assertThat(summary.errors()).isEqualTo(7);
        assertThat(summary.timeouts()).isEqualTo(2);
    }

}
