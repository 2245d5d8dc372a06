package io.ctxprop.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.ctxprop.bench.measure.CoalesceCost;
import io.ctxprop.bench.measure.CoalesceSample;
import java.util.List;
import org.junit.jupiter.api.Test;

class CoalesceSectionTest {

    private static CoalesceSample sample(String subject, int round, long records, double gatewaySeconds, double firstChunkMs) {
        return new CoalesceSample(subject, subject.equals(CoalesceCost.BEFORE) ? "0" : "15ms", round, 16, 10, 100, 0, 0, 0,
                firstChunkMs, 20, 560, records / 100.0 - 1, records, 0.5, gatewaySeconds, 0.02);
    }

    @Test
    void theSectionShowsRecordsCpuAndFirstChunkBeforeAndAfter() {
        String md = CoalesceSection.render(List.of(
                sample(CoalesceCost.AFTER, 1, 3_600, 0.5, 4.0),
                sample(CoalesceCost.BEFORE, 1, 50_100, 1.5, 4.0),
                sample(CoalesceCost.BEFORE, 2, 50_100, 2.5, 5.0),
                sample(CoalesceCost.AFTER, 2, 3_400, 0.5, 5.0)));

        assertThat(md).contains("## " + CoalesceSection.HEADING)
                .contains("16 clients")
                .contains("| Kafka records per answer | 501.0 (501.0-501.0) | 35.0 (34.0-36.0) | 0.07 | 0.07 (0.07-0.07) |")
                .contains("| CPU ms per answer, application + gateway | 25.00 (20.00-30.00) | 10.00 (10.00-10.00) | 0.40 | 0.42 (0.33-0.50) |")
                .contains("| time to first chunk p50, ms | 4.5 (4.0-5.0) | 4.5 (4.0-5.0) | 1.00 | 1.00 (1.00-1.00) |")
                .contains("Answers/s: coalesce 0 10.0 (10.0-10.0), 15 ms 10.0 (10.0-10.0). Errors and timeouts in these rounds: 0.");
    }

    @Test
    void nothingWhenTheRunDidNotMeasureIt() {
        assertThat(CoalesceSection.render(List.of())).isEmpty();
        assertThat(CoalesceSection.render(List.of(sample(CoalesceCost.BEFORE, 1, 50_100, 1.5, 4.0)))).isEmpty();
    }
}
