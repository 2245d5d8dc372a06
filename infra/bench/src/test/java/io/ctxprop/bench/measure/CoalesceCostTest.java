package io.ctxprop.bench.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class CoalesceCostTest {

    private static final String BEFORE = CoalesceCost.BEFORE;
    private static final String AFTER = CoalesceCost.AFTER;

    /** {@code answers} answers ended in a 10 s window, with these records and CPU seconds (application, gateway). */
    static CoalesceSample sample(String subject, int round, long answers, long records, double front, double back,
            double firstChunkMs) {
        return new CoalesceSample(subject, subject.equals(BEFORE) ? "0" : "15ms", round, 16, 10, answers, 0, 0, 0, firstChunkMs,
                firstChunkMs * 2, 560, 40, records, front, back, 0.01);
    }

    @Test
    void perAnswerFiguresAreOverTheAnswersEndedInTheWindow() {
        var sample = sample(BEFORE, 1, 200, 100_200, 1.0, 3.0, 4);

        assertThat(sample.recordsPerAnswer()).isCloseTo(501, within(1e-9));
        assertThat(sample.servicesMsPerAnswer()).isCloseTo(20, within(1e-9));
        assertThat(sample.applicationMsPerAnswer()).isCloseTo(5, within(1e-9));
        assertThat(sample.gatewayMsPerAnswer()).isCloseTo(15, within(1e-9));
        assertThat(sample.throughput()).isCloseTo(20, within(1e-9));
        assertThat(sample.jitShare()).isCloseTo(0.01 / 4.01, within(1e-9));
    }

    @Test
    void aWindowWithoutAnAnswerHasNoPerAnswerFigure() {
        var empty = sample(BEFORE, 1, 0, 300, 1.0, 1.0, Double.NaN);

        assertThat(empty.recordsPerAnswer()).isNaN();
        assertThat(empty.servicesMsPerAnswer()).isNaN();
    }

    @Test
    void eachFigureAfterOverBeforeOfTheMediansAndRoundByRound() {
        var cost = CoalesceCost.of(List.of(
                sample(AFTER, 1, 200, 7_000, 0.4, 0.6, 4.0),
                sample(BEFORE, 1, 200, 100_200, 1.0, 3.0, 4.0),
                sample(BEFORE, 2, 100, 50_100, 0.6, 1.4, 5.0),
                sample(AFTER, 2, 100, 3_600, 0.2, 0.4, 6.0),
                sample(AFTER, 3, 200, 7_200, 0.4, 0.4, 4.5),
                sample(BEFORE, 3, 200, 100_200, 1.2, 2.8, 4.5))).orElseThrow();

        assertThat(cost.rounds()).isEqualTo(3);
        var records = cost.rows().get(0);
        assertThat(records.figure()).isEqualTo("Kafka records per answer");
        assertThat(records.before().median()).isCloseTo(501, within(1e-9));
        // after: 35, 36, 36
        assertThat(records.after().median()).isCloseTo(36, within(1e-9));
        assertThat(records.ratio()).isCloseTo(36.0 / 501, within(1e-9));
        assertThat(records.roundRatios().min()).isCloseTo(35.0 / 501, within(1e-9));
        assertThat(records.roundRatios().max()).isCloseTo(36.0 / 501, within(1e-9));

        var cpu = cost.rows().get(1);
        assertThat(cpu.figure()).isEqualTo("CPU ms per answer, application + gateway");
        // before 20, 20, 20; after 5, 6, 4
        assertThat(cpu.before().median()).isCloseTo(20, within(1e-9));
        assertThat(cpu.after().median()).isCloseTo(5, within(1e-9));
        assertThat(cpu.ratio()).isCloseTo(0.25, within(1e-9));
        assertThat(cpu.roundRatios().text("%.2f")).isEqualTo("0.25 (0.20-0.30)");

        var gateway = cost.rows().get(2);
        assertThat(gateway.figure()).isEqualTo("CPU ms per answer, gateway");
        // before 15, 14, 14; after 3, 4, 2
        assertThat(gateway.ratio()).isCloseTo(3.0 / 14, within(1e-9));

        var firstChunk = cost.rows().get(4);
        assertThat(firstChunk.figure()).isEqualTo("time to first chunk p50, ms");
        assertThat(firstChunk.before().median()).isCloseTo(4.5, within(1e-9));
        assertThat(firstChunk.after().median()).isCloseTo(4.5, within(1e-9));
        assertThat(firstChunk.ratio()).isCloseTo(1.0, within(1e-9));
        assertThat(firstChunk.roundRatios().max()).isCloseTo(1.2, within(1e-9));
        assertThat(cost.beforeThroughput().median()).isCloseTo(20, within(1e-9));
        assertThat(cost.afterThroughput().min()).isCloseTo(10, within(1e-9));
    }

    @Test
    void aRoundIsComparedOnlyWithTheSameRoundAndARoundWithoutAnswersIsLeftOut() {
        var cost = CoalesceCost.of(List.of(
                sample(BEFORE, 1, 100, 50_100, 1.0, 1.0, 4),
                sample(AFTER, 1, 100, 3_600, 0.5, 0.5, 4),
                sample(BEFORE, 2, 100, 50_100, 3.0, 3.0, 4),
                sample(AFTER, 2, 0, 0, 0.5, 0.5, Double.NaN))).orElseThrow();

        assertThat(cost.rounds()).isEqualTo(1);
        var cpu = cost.rows().get(1);
        assertThat(cpu.after().rounds()).isEqualTo(1);
        assertThat(cpu.roundRatios().rounds()).isEqualTo(1);
        assertThat(cpu.roundRatios().median()).isCloseTo(0.5, within(1e-9));
    }

    @Test
    void nothingWithoutBothSidesAndErrorsAreCounted() {
        assertThat(CoalesceCost.of(List.of(sample(BEFORE, 1, 100, 50_100, 1, 1, 4)))).isEmpty();
        assertThat(CoalesceCost.of(List.of(sample(AFTER, 1, 100, 3_600, 1, 1, 4)))).isEmpty();

        var failing = new CoalesceSample(AFTER, "15ms", 1, 16, 10, 100, 3, 2, 0, 4, 8, 560, 40, 3_600, 0.5, 0.5, 0);
        var cost = CoalesceCost.of(List.of(sample(BEFORE, 1, 100, 50_100, 1, 1, 4), failing,
                new CoalesceSample("off", "15ms", 1, 16, 10, 100, 7, 0, 0, 4, 8, 560, 40, 0, 1, 1, 0))).orElseThrow();
        assertThat(cost.errors()).isEqualTo(5);
    }
}
