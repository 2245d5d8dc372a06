package io.ctxprop.gateway.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InFlightStreamsTest {

    @Test
    void aCancelStopsEveryStreamOfItsCorrelationIdAndNoOther() {
        var streams = new InFlightStreams(10);
        var first = streams.register("a");
        var again = streams.register("a");
        var other = streams.register("b");

        assertThat(streams.cancel("a")).isTrue();

        assertThat(first.cancelled()).isTrue();
        assertThat(again.cancelled()).isTrue();
        assertThat(other.cancelled()).isFalse();
    }

    @Test
    void aCancelForNothingInFlightFindsNothing() {
        var streams = new InFlightStreams(10);
        var ended = streams.register("a");
        streams.end("a", ended);

        assertThat(streams.cancel("a")).isFalse();
        assertThat(streams.cancel(null)).isFalse();
        assertThat(ended.cancelled()).isFalse();
        assertThat(streams.size()).isZero();
    }

    @Test
    void endingForgetsOnlyThatStreamAndTwiceIsHarmless() {
        var streams = new InFlightStreams(10);
        var first = streams.register("a");
        var second = streams.register("a");

        streams.end("a", first);
        streams.end("a", first);

        assertThat(streams.size()).isEqualTo(1);
        assertThat(streams.cancel("a")).isTrue();
        assertThat(second.cancelled()).isTrue();
        assertThat(first.cancelled()).isFalse();
    }

    @Test
    void boundedPastCapacityAStreamRunsButCannotBeCancelled() {
        var streams = new InFlightStreams(2);
        streams.register("a");
        streams.register("b");
        var unregistered = streams.register("c");

        assertThat(streams.size()).isEqualTo(2);
        assertThat(streams.cancel("c")).isFalse();
        assertThat(unregistered.cancelled()).isFalse();
        streams.end("c", unregistered);
        assertThat(streams.size()).isEqualTo(2);
    }

    @Test
    void cancelAllStopsEveryStream() {
        var streams = new InFlightStreams(10);
        var a = streams.register("a");
        var b = streams.register("b");

        streams.cancelAll();

        assertThat(a.cancelled()).isTrue();
        assertThat(b.cancelled()).isTrue();
    }
}
