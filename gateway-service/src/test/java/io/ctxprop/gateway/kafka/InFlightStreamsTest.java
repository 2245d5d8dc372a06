package io.ctxprop.gateway.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.ctxprop.telemetry.streaming.StreamHeaders;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class InFlightStreamsTest {

    private static final byte[] TOKEN = StreamHeaders.newCancelToken();

    @Test
    void aCancelStopsEveryStreamOfItsCorrelationIdAndNoOther() {
        var streams = new InFlightStreams(10);
        var first = streams.register(id("a"), TOKEN);
        var again = streams.register(id("a"), TOKEN);
        var other = streams.register(id("b"), TOKEN);

        assertThat(streams.cancel(id("a"), TOKEN)).isTrue();

        assertThat(first.cancelled()).isTrue();
        assertThat(again.cancelled()).isTrue();
        assertThat(other.cancelled()).isFalse();
    }

    @Test
    void aCancelForNothingInFlightFindsNothing() {
        var streams = new InFlightStreams(10);
        var ended = streams.register(id("a"), TOKEN);
        streams.end(id("a"), ended);

        assertThat(streams.cancel(id("a"), TOKEN)).isFalse();
        assertThat(streams.cancel(null, TOKEN)).isFalse();
        assertThat(ended.cancelled()).isFalse();
        assertThat(streams.size()).isZero();
    }

    @Test
    void endingForgetsOnlyThatStreamAndTwiceIsHarmless() {
        var streams = new InFlightStreams(10);
        var first = streams.register(id("a"), TOKEN);
        var second = streams.register(id("a"), TOKEN);

        streams.end(id("a"), first);
        streams.end(id("a"), first);

        assertThat(streams.size()).isEqualTo(1);
        assertThat(streams.cancel(id("a"), TOKEN)).isTrue();
        assertThat(second.cancelled()).isTrue();
        assertThat(first.cancelled()).isFalse();
    }

    @Test
    void boundedPastCapacityAStreamRunsButCannotBeCancelled() {
        var streams = new InFlightStreams(2);
        streams.register(id("a"), TOKEN);
        streams.register(id("b"), TOKEN);
        var unregistered = streams.register(id("c"), TOKEN);

        assertThat(streams.size()).isEqualTo(2);
        assertThat(streams.cancel(id("c"), TOKEN)).isFalse();
        assertThat(unregistered.cancelled()).isFalse();
        streams.end(id("c"), unregistered);
        assertThat(streams.size()).isEqualTo(2);
    }

    @Test
    void aCancelMustMatchTheRequestsKeyAndReplyTopicNotOnlyItsCorrelationId() {
        var streams = new InFlightStreams(10);
        var stream = streams.register(new InFlightStreams.StreamId("corr", "corr", "llm.replies"), TOKEN);

        assertThat(streams.cancel(new InFlightStreams.StreamId("corr", null, "llm.replies"), TOKEN)).as("no key").isFalse();
        assertThat(streams.cancel(new InFlightStreams.StreamId("corr", "other", "llm.replies"), TOKEN)).as("another key").isFalse();
        assertThat(streams.cancel(new InFlightStreams.StreamId("corr", "corr", "llm.replies.client"), TOKEN)).as("another reply topic").isFalse();
        assertThat(stream.cancelled()).isFalse();

        assertThat(streams.cancel(new InFlightStreams.StreamId("corr", "corr", "llm.replies"), TOKEN)).isTrue();
        assertThat(stream.cancelled()).isTrue();
    }

    /** Everything in the id can be read off a reply; the token cannot, and without it nothing is cancelled. */
    @Test
    void aCancelWithTheRightIdButNoOrAnotherTokenStopsNothing() {
        var streams = new InFlightStreams(10);
        var stream = streams.register(id("a"), TOKEN);
        byte[] almost = TOKEN.clone();
        almost[almost.length - 1] ^= 1;

        assertThat(streams.cancel(id("a"), null)).as("no token").isFalse();
        assertThat(streams.cancel(id("a"), StreamHeaders.newCancelToken())).as("another token").isFalse();
        assertThat(streams.cancel(id("a"), almost)).as("one bit off").isFalse();
        assertThat(streams.cancel(id("a"), java.util.Arrays.copyOf(TOKEN, TOKEN.length - 1))).as("a prefix").isFalse();
        assertThat(stream.cancelled()).isFalse();

        assertThat(streams.cancel(id("a"), TOKEN.clone())).isTrue();
        assertThat(stream.cancelled()).isTrue();
    }

    @Test
    void aStreamWithoutATokenCannotBeCancelledButStopsWhenTheGatewayCloses() {
        var streams = new InFlightStreams(10);
        var stream = streams.register(id("a"), null);

        assertThat(streams.cancel(id("a"), TOKEN)).isFalse();
        assertThat(stream.cancelled()).isFalse();
        streams.cancelAll();
        assertThat(stream.cancelled()).isTrue();
    }

    @Test
    void aCancelTokenIs128RandomBitsInHex() {
        assertThat(new String(StreamHeaders.newCancelToken(), StandardCharsets.US_ASCII)).matches("[0-9a-f]{32}");
        assertThat(StreamHeaders.newCancelToken()).isNotEqualTo(StreamHeaders.newCancelToken());
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
        var a = streams.register(id("a"), TOKEN);
        var b = streams.register(id("b"), TOKEN);

        streams.cancelAll();

        assertThat(a.cancelled()).isTrue();
        assertThat(b.cancelled()).isTrue();
    }
}
