package io.ctxprop.bench.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class SecurityCostTest {

    private static final String PLAIN = SecurityCost.PLAIN;
    private static final String SECURED = SecurityCost.SECURED;

    @Test
    void theRatioOfTheMediansPerServiceAndTogetherWithTheRoundByRoundSpread() {
        var cost = SecurityCost.of(List.of(
                Samples.of(PLAIN, "kafka", 1, 16, 1.0, 0.5, 2),
                Samples.of(SECURED, "kafka", 1, 16, 1.2, 0.7, 2),
                Samples.of(SECURED, "kafka", 2, 16, 1.5, 0.6, 2),
                Samples.of(PLAIN, "kafka", 2, 16, 1.0, 0.5, 2),
                Samples.of(PLAIN, "kafka", 3, 16, 2.0, 0.5, 2),
                Samples.of(SECURED, "kafka", 3, 16, 2.2, 0.8, 2))).orElseThrow();

        assertThat(cost.rounds()).isEqualTo(3);
        var application = cost.rows().get(0);
        assertThat(application.service()).isEqualTo("application");
        assertThat(application.plain().median()).isCloseTo(1.0, within(1e-9));
        assertThat(application.secured().median()).isCloseTo(1.5, within(1e-9));
        assertThat(application.ratio()).isCloseTo(1.5, within(1e-9));
        // round by round: 1.2/1.0, 1.5/1.0, 2.2/2.0
        assertThat(application.roundRatios().min()).isCloseTo(1.1, within(1e-9));
        assertThat(application.roundRatios().median()).isCloseTo(1.2, within(1e-9));
        assertThat(application.roundRatios().max()).isCloseTo(1.5, within(1e-9));

        var gateway = cost.rows().get(1);
        assertThat(gateway.service()).isEqualTo("gateway");
        assertThat(gateway.ratio()).isCloseTo(0.7 / 0.5, within(1e-9));
        assertThat(gateway.roundRatios().min()).isCloseTo(1.2, within(1e-9));
        assertThat(gateway.roundRatios().max()).isCloseTo(1.6, within(1e-9));

        var both = cost.rows().get(2);
        assertThat(both.service()).isEqualTo("application + gateway");
        // plaintext 1.5, 1.5, 2.5; secured 1.9, 2.1, 3.0
        assertThat(both.plain().median()).isCloseTo(1.5, within(1e-9));
        assertThat(both.secured().median()).isCloseTo(2.1, within(1e-9));
        assertThat(both.ratio()).isCloseTo(1.4, within(1e-9));
        assertThat(both.roundRatios().text("%.2f")).isEqualTo("1.27 (1.20-1.40)");
    }

    @Test
    void aRoundIsComparedOnlyWithTheSameRoundOfTheOtherStack() {
        var cost = SecurityCost.of(List.of(
                Samples.of(PLAIN, "kafka", 1, 16, 1.0, 1.0, 2),
                Samples.of(SECURED, "kafka", 1, 16, 3.0, 1.0, 2),
                Samples.of(PLAIN, "kafka", 2, 16, 3.0, 1.0, 2))).orElseThrow();

        assertThat(cost.rounds()).isEqualTo(1);
        assertThat(cost.rows().get(0).roundRatios().rounds()).isEqualTo(1);
        assertThat(cost.rows().get(0).roundRatios().median()).isCloseTo(3.0, within(1e-9));
    }

    @Test
    void otherSubjectsAndPathsAreNotCounted() {
        assertThat(SecurityCost.of(List.of(
                Samples.of("off", "kafka", 1, 16, 1.0, 1.0, 2),
                Samples.of(SECURED, "kafka", 1, 16, 2.0, 1.0, 2)))).isEmpty();
        assertThat(SecurityCost.of(List.of(
                Samples.of(PLAIN, "http", 1, 16, 1.0, 1.0, 2),
                Samples.of(SECURED, "kafka", 1, 16, 2.0, 1.0, 2)))).isEmpty();

        var cost = SecurityCost.of(List.of(
                Samples.of(PLAIN, "kafka", 1, 16, 1.0, 1.0, 2),
                Samples.of(PLAIN, "http", 1, 16, 9.0, 9.0, 2),
                Samples.of(SECURED, "kafka", 1, 16, 2.0, 1.0, 2),
                Samples.of("off", "kafka", 1, 16, 9.0, 9.0, 2))).orElseThrow();
        assertThat(cost.rows().get(0).ratio()).isCloseTo(2.0, within(1e-9));
        assertThat(cost.plainBrokerMs().median()).isCloseTo(0.2, within(1e-9));
    }
}
