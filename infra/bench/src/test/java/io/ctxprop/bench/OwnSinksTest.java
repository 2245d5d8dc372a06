package io.ctxprop.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.ctxprop.bench.stack.SpanSink;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Two stacks are measured in one window only where no span sink would see both. */
class OwnSinksTest {

    @Test
    void stacksOnTwoSinksOrWithOneSeenCanShareAWindow() throws Exception {
        try (var sink = new SpanSink(); var other = new SpanSink()) {
            assertThat(Bench.ownSinks(List.of(Optional.of(sink), Optional.of(other)))).isTrue();
            assertThat(Bench.ownSinks(List.of(Optional.of(sink), Optional.empty()))).isTrue();
            assertThat(Bench.ownSinks(List.of(Optional.empty(), Optional.empty()))).isTrue();
        }
    }

    @Test
    void twoStacksOnOneSinkCannot() throws Exception {
        try (var sink = new SpanSink()) {
            assertThat(Bench.ownSinks(List.of(Optional.of(sink), Optional.of(sink)))).isFalse();
        }
    }
}
