package io.ctxprop.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.ctxprop.bench.measure.Samples;
import io.ctxprop.bench.measure.SecurityCost;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecuredKafkaSectionTest {

    @Test
    void theSectionShowsEachServiceTheRatioAndItsSpread() {
        String md = SecuredKafkaSection.render(List.of(
                Samples.of(SecurityCost.PLAIN, "kafka", 1, 16, 1.0, 0.5, 2),
                Samples.of(SecurityCost.SECURED, "kafka", 1, 16, 1.2, 0.6, 2),
                Samples.of(SecurityCost.SECURED, "kafka", 2, 16, 1.4, 0.6, 2),
                Samples.of(SecurityCost.PLAIN, "kafka", 2, 16, 1.0, 0.5, 2)), 16);

        assertThat(md).contains("## Kafka secured (TLS + SCRAM) against plaintext")
                .contains("| application | 1.000 (1.000-1.000) | 1.300 (1.200-1.400) | 1.30 | 1.30 (1.20-1.40) |")
                .contains("| gateway | 0.500 (0.500-0.500) | 0.600 (0.600-0.600) | 1.20 | 1.20 (1.20-1.20) |")
                .contains("| application + gateway | 1.500 (1.500-1.500) | 1.900 (1.800-2.000) | 1.27 | 1.27 (1.20-1.33) |")
                .contains("Errors and timeouts in these rounds: 0.");
    }

    @Test
    void nothingWhenTheRunDidNotMeasureIt() {
        assertThat(SecuredKafkaSection.render(List.of(Samples.of("off", "kafka", 1, 16, 1.0, 0.5, 2)), 16)).isEmpty();
    }
}
