package io.ctxprop.application.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.ctxprop.telemetry.SpanBaggage;
import io.ctxprop.telemetry.streaming.StreamHeaders;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** What a stream that ended whole leaves behind: its last record and as little of its caller's context as will do. */
class ReplyStreamsTest {

    static final SpanContext ROOT = SpanContext.create("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331",
            TraceFlags.getSampled(), TraceState.getDefault());
    static final ReplyFingerprint ANSWER = ReplyFingerprint.of("{\"response\":\"an answer\"}", "gateway", "llm.replies-0@1");

    @Test
    void anEndedStreamKeepsTheSpanContextAndOnlyTheBaggageThatReachesSpans() {
        var streams = new ReplyStreams(new SpanBaggage(Set.of("session.id")));
        var hostile = Baggage.builder().put("session.id", "s".repeat(300));
        for (int i = 0; i < 170; i++) {
            hostile.put("junk-" + i, "x".repeat(40));
        }
        ContextKey<String> prompt = ContextKey.named("the root span's prompt");
        ReplyStream stream = streams.open("id-1", Context.root().with(Span.wrap(ROOT)).with(hostile.build()).with(prompt, "secret"), false);
        var last = new ConsumerRecord<String, String>("llm.replies", 0, 1L, "id-1", "{\"response\":\"an answer\"}");
        StreamHeaders.set(last.headers(), StreamHeaders.LAST);
        StreamHeaders.setSeq(last.headers(), 0);
        stream.accept(last, ANSWER, Span::getInvalid);
        assertThat(stream.complete()).isTrue();

        streams.close("id-1");

        Context kept = streams.ended("id-1").sentFrom();
        assertThat(Span.fromContext(kept).getSpanContext()).isEqualTo(ROOT);
        assertThat(Baggage.fromContext(kept).asMap()).containsOnlyKeys("session.id");
        assertThat(Baggage.fromContext(kept).getEntryValue("session.id")).as("cut as on a span").hasSize(256);
        assertThat(kept.get(prompt)).isNull();
    }
}
