package io.ctxprop.bench.report;

import static io.ctxprop.bench.report.ReportFilesTest.scenario;
import static org.assertj.core.api.Assertions.assertThat;

import io.ctxprop.bench.carriers.CarrierRun.HopCost;
import java.util.List;
import org.junit.jupiter.api.Test;

class TargetsTest {

    @Test
    void judgesTheBridgeAgainstTheBaselineAndTracingOnAgainstOff() {
        var scenarios = List.of(
                scenario("raw", "off", 1000, 3.0, null, null, null),
                scenario("kafka-on", "on", 850, 4.9, 0L, 100, 100),
                scenario("kafka-off", "off", 880, 4.7, null, null, null),
                scenario("http-on", "on", 900, 3.5, 0L, 100, 100),
                scenario("http-off", "off", 1000, 3.0, null, null, null));

        var targets = Targets.judge(scenarios, List.of(), name -> "profile of " + name);

        assertThat(targets).extracting(TargetResult::target, TargetResult::met).containsExactly(
                org.assertj.core.groups.Tuple.tuple("kafka (tracing on) >= 0.8 x raw throughput", true),
                org.assertj.core.groups.Tuple.tuple("kafka (tracing on) p50 <= raw p50 + 2 ms", true),
                org.assertj.core.groups.Tuple.tuple("tracing costs kafka <= 5% throughput", true),
                org.assertj.core.groups.Tuple.tuple("tracing costs kafka <= 0.3 ms p50", true),
                org.assertj.core.groups.Tuple.tuple("tracing costs http <= 5% throughput", false),
                org.assertj.core.groups.Tuple.tuple("tracing costs http <= 0.3 ms p50", false));
        assertThat(targets.get(0).profile()).isNull();
        assertThat(targets.get(4).profile()).isEqualTo("profile of http-on");
    }

    @Test
    void theSlowModelNeedsThroughputNoFailureNoDropAndWholeTraces() {
        var met = scenario("slow-kafka", "on", 950, 1003, 0L, 1000, 1000);
        var dropped = scenario("slow-kafka", "on", 950, 1003, 1L, 1000, 1000);
        var partial = scenario("slow-http", "on", 950, 1003, 0L, 1000, 999);
        var slow = scenario("slow-http", "on", 899, 1003, 0L, 1000, 1000);

        assertThat(Targets.judge(List.of(met), List.of(), name -> "").getFirst().met()).isTrue();
        assertThat(Targets.judge(List.of(dropped), List.of(), name -> "").getFirst().met()).isFalse();
        assertThat(Targets.judge(List.of(partial), List.of(), name -> "").getFirst().met()).isFalse();
        assertThat(Targets.judge(List.of(slow), List.of(), name -> "").getFirst().met()).isFalse();
    }

    @Test
    void aCarrierHopMustStayUnderAMicrosecond() {
        var targets = Targets.judge(List.of(), List.of(new HopCost("httpHop", 999, 5), new HopCost("kafkaHop", 1000, 5)),
                name -> "");

        assertThat(targets).extracting(TargetResult::met).containsExactly(true, false);
    }
}
