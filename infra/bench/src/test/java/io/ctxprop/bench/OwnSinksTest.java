package io.ctxprop.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.ctxprop.bench.process.Measured;
import io.ctxprop.bench.stack.AskPath;
import io.ctxprop.bench.stack.SpanSink;
import io.ctxprop.bench.stack.Subject;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Two stacks are measured in one window only where no span sink would see both. */
class OwnSinksTest {

    @Test
    void stacksOnTwoSinksOrWithOneSeenCanShareAWindow() throws Exception {
        try (var sink = new SpanSink(); var other = new SpanSink()) {
            assertThat(Bench.ownSinks(List.of(subject(sink), subject(other)))).isTrue();
            assertThat(Bench.ownSinks(List.of(subject(sink), subject(null)))).isTrue();
            assertThat(Bench.ownSinks(List.of(subject(null), subject(null)))).isTrue();
        }
    }

    @Test
    void twoStacksOnOneSinkCannot() throws Exception {
        try (var sink = new SpanSink()) {
            assertThat(Bench.ownSinks(List.of(subject(sink), subject(sink)))).isFalse();
        }
    }

    /** A subject whose spans {@code sink} sees (none where null); nothing else of it is used. */
    private static Subject subject(SpanSink sink) {
        return new Subject() {
            @Override
            public String name() {
                return "stack";
            }

            @Override
            public String url() {
                return "http://127.0.0.1:1";
            }

            @Override
            public Measured front() {
                return null;
            }

            @Override
            public Measured back() {
                return null;
            }

            @Override
            public Optional<SpanSink> spanSink() {
                return Optional.ofNullable(sink);
            }

            @Override
            public boolean wholeTrace(AskPath path, SpanSink spans, String traceId) {
                return false;
            }
        };
    }
}
