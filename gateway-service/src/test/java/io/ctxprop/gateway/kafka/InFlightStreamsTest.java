package io.ctxprop.gateway.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class InFlightStreamsTest {

    @Test
    void aCancelStopsEveryStreamOfItsCorrelationIdAndNoOther() {
        var streams = new InFlightStreams(10);
        var first = streams.register(id("a"));
        var again = streams.register(id("a"));
        var other = streams.register(id("b"));

        assertThat(streams.cancel(id("a"))).isTrue();

        assertThat(first.cancelled()).isTrue();
        assertThat(again.cancelled()).isTrue();
        assertThat(other.cancelled()).isFalse();
    }

    @Test
    void aCancelForNothingInFlightFindsNothing() {
        var streams = new InFlightStreams(10);
        var ended = streams.register(id("a"));
        streams.end(id("a"), ended);

        assertThat(streams.cancel(id("a"))).isFalse();
        assertThat(streams.cancel((InFlightStreams.StreamId) null)).isFalse();
        assertThat(ended.cancelled()).isFalse();
        assertThat(streams.size()).isZero();
    }

    @Test
    void endingForgetsOnlyThatStreamAndTwiceIsHarmless() {
        var streams = new InFlightStreams(10);
        var first = streams.register(id("a"));
        var second = streams.register(id("a"));

        streams.end(id("a"), first);
        streams.end(id("a"), first);

        assertThat(streams.size()).isEqualTo(1);
        assertThat(streams.cancel(id("a"))).isTrue();
        assertThat(second.cancelled()).isTrue();
        assertThat(first.cancelled()).isFalse();
    }

    @Test
    void boundedPastCapacityAStreamRunsButCannotBeCancelled() {
        var streams = new InFlightStreams(2);
        streams.register(id("a"));
        streams.register(id("b"));
        var unregistered = streams.register(id("c"));

        assertThat(streams.size()).isEqualTo(2);
        assertThat(streams.cancel(id("c"))).isFalse();
        assertThat(unregistered.cancelled()).isFalse();
        streams.end(id("c"), unregistered);
        assertThat(streams.size()).isEqualTo(2);
    }

    @Test
    void aCancelMustMatchTheRequestsKeyAndReplyTopicNotOnlyItsCorrelationId() {
        var streams = new InFlightStreams(10);
        var stream = streams.register(new InFlightStreams.StreamId("corr", "corr", "llm.replies"));

        assertThat(streams.cancel(new InFlightStreams.StreamId("corr", null, "llm.replies"))).as("no key").isFalse();
        assertThat(streams.cancel(new InFlightStreams.StreamId("corr", "other", "llm.replies"))).as("another key").isFalse();
        assertThat(streams.cancel(new InFlightStreams.StreamId("corr", "corr", "llm.replies.client"))).as("another reply topic").isFalse();
        assertThat(stream.cancelled()).isFalse();

        assertThat(streams.cancel(new InFlightStreams.StreamId("corr", "corr", "llm.replies"))).isTrue();
        assertThat(stream.cancelled()).isTrue();
    }

    @Test
    void theIdOfARecordIsItsCorrelationIdKeyAndReplyTopicOrTheDefault() {
        var named = new ConsumerRecord<String, byte[]>("llm.requests", 0, 0L, "k", new byte[0]);
        named.headers().add("kafka_correlationId", "c".getBytes(StandardCharsets.UTF_8));
        named.headers().add("kafka_replyTopic", "llm.replies.client".getBytes(StandardCharsets.UTF_8));
        var unnamed = new ConsumerRecord<String, byte[]>("llm.requests", 0, 0L, "k", new byte[0]);

        assertThat(InFlightStreams.StreamId.of(named, "llm.replies")).isEqualTo(new InFlightStreams.StreamId("c", "k", "llm.replies.client"));
        assertThat(InFlightStreams.StreamId.of(unnamed, "llm.replies")).as("the key stands for the correlation id")
                .isEqualTo(new InFlightStreams.StreamId("k", "k", "llm.replies"));
        assertThat(InFlightStreams.StreamId.of(new ConsumerRecord<String, byte[]>("llm.requests", 0, 0L, null, new byte[0]), "llm.replies"))
                .isNull();
    }

    /** A request as the application sends it: key and correlation id alike, the default reply topic. */
    private static InFlightStreams.StreamId id(String correlationId) {
        return new InFlightStreams.StreamId(correlationId, correlationId, "llm.replies");
    }

    @Test
    void cancelAllStopsEveryStream() {
        var streams = new InFlightStreams(10);
        var a = streams.register(id("a"));
        var b = streams.register(id("b"));

        streams.cancelAll();

        assertThat(a.cancelled()).isTrue();
        assertThat(b.cancelled()).isTrue();
    }
}
