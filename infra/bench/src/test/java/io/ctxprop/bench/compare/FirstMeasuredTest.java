package io.ctxprop.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;

import io.ctxprop.bench.measure.Sample;
import io.ctxprop.bench.measure.Samples;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A setup measured in two pairs is two stacks: the report's absolute figures take the first pair's rounds, never both. */
class FirstMeasuredTest {

    @Test
    void eachSetupsRoundsComeFromTheFirstPairThatMeasuredIt() {
        List<Sample> tracedAndOff = List.of(Samples.of("inspector+phoenix", "http", 1, 16, 1, 1, 3),
                Samples.of("off", "http", 1, 16, 0.5, 0.5, 3), Samples.of("off", "http", 2, 16, 0.6, 0.5, 3));
        List<Sample> offAndRaw = List.of(Samples.of("off", "http", 1, 16, 9, 9, 3), Samples.of("raw", "http", 1, 16, 0.1, 0.1, 3));

        List<Sample> kept = Pairing.firstMeasured(List.of(tracedAndOff, offAndRaw));

        assertThat(kept).extracting(Sample::subject).containsExactly("inspector+phoenix", "off", "off", "raw");
        assertThat(kept).filteredOn(s -> s.subject().equals("off")).allSatisfy(off -> assertThat(off.servicesMsPerAnswer()).isLessThan(2));
    }
}
