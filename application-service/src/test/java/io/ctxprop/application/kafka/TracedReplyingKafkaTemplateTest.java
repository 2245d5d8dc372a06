package io.ctxprop.application.kafka;

import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.assertThat;
import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.equalTo;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.assertj.TracesAssert;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.kafka.requestreply.KafkaReplyTimeoutException;

/**
 * The {@code process llm.replies} span of each reply this instance handles: its parent, link and
 * messaging attributes, how the reply ended, and the caller's context left as it was.
 */
@ExtendWith(OutputCaptureExtension.class)
class TracedReplyingKafkaTemplateTest {

    static final String GATEWAY_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String GATEWAY_SPAN = "00f067aa0ba902b7";
    static final Context GATEWAY = Context.root().with(Span.wrap(SpanContext.createFromRemoteParent(
            GATEWAY_TRACE, GATEWAY_SPAN, TraceFlags.getSampled(), TraceState.getDefault())));
    static final AttributeKey<String> REPLY_OUTCOME = AttributeKey.stringKey("reply.outcome");

    private final ReplyTemplateFixture fixture = new ReplyTemplateFixture();
    /** The context of whoever hands over the replies (the container's thread), which must be its own again afterwards. */
    private final Context caller = Context.root().with(Baggage.builder().put("caller", "yes").build());

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void aReplyWithTheGatewaysContextContinuesItAndCompletesItsRequest() throws Exception {
        String id = UUID.randomUUID().toString();
        Span root = fixture.openTelemetry.getTracer("test").spanBuilder("application_process_request").startSpan();
        var request = fixture.send(id, Context.root().with(root), true);
        ConsumerRecord<String, String> reply = fixture.reply(id, GATEWAY);

        handOver(reply);
        root.end();

        assertThat(request.get().value()).contains("an answer");
        TracesAssert.assertThat(fixture.finishedSpans()).hasTracesSatisfyingExactly(
                trace -> trace.hasSpansSatisfyingExactly(span -> span.hasName("process llm.replies")
                        .hasKind(SpanKind.CONSUMER)
                        .hasTraceId(GATEWAY_TRACE)
                        .hasParentSpanId(GATEWAY_SPAN)
                        .hasLinksSatisfying(links -> assertThat(links).singleElement().satisfies(link -> {
                            assertThat(link.getSpanContext().getSpanId()).isEqualTo(GATEWAY_SPAN);
                            assertThat(link.getSpanContext().isRemote()).isTrue();
                        }))
                        .hasStatus(io.opentelemetry.sdk.trace.data.StatusData.unset())
                        .hasAttributesSatisfyingExactly(
                                equalTo(AttributeKey.stringKey("messaging.system"), "kafka"),
                                equalTo(AttributeKey.stringKey("messaging.operation.type"), "process"),
                                equalTo(AttributeKey.stringKey("messaging.operation.name"), "process"),
                                equalTo(AttributeKey.stringKey("messaging.destination.name"), "llm.replies"),
                                equalTo(AttributeKey.stringKey("messaging.destination.partition.id"), "2"),
                                equalTo(AttributeKey.longKey("messaging.kafka.offset"), reply.offset()),
                                equalTo(AttributeKey.stringKey("messaging.consumer.group.name"), ReplyTemplateFixture.GROUP),
                                equalTo(AttributeKey.stringKey("messaging.kafka.message.key"), id),
                                equalTo(AttributeKey.stringKey("messaging.message.conversation_id"), id),
                                equalTo(AttributeKey.longKey("messaging.message.body.size"), (long) reply.value().length()),
                                equalTo(REPLY_OUTCOME, "completed"))),
                trace -> trace.hasSpansSatisfyingExactly(span -> span.hasName("application_process_request")));
        assertThat(fixture.lateReplies()).isZero();
        assertThat(fixture.duplicateReplies()).isZero();
    }

    @Test
    void aReplyWithoutContextHangsUnderTheRequestsSpanWithItsBaggage() throws Exception {
        String id = UUID.randomUUID().toString();
        Span root = fixture.openTelemetry.getTracer("test").spanBuilder("application_process_request").startSpan();
        Context sentFrom = Context.root().with(root).with(Baggage.builder().put("session.id", "s-1").build());
        var request = fixture.send(id, sentFrom, false);
        AtomicReference<Baggage> baggageWhenAnswered = new AtomicReference<>();
        request.thenRun(() -> baggageWhenAnswered.set(Baggage.current()));

        handOver(fixture.reply(id, GATEWAY));
        root.end();

        assertThat(request.isDone()).isTrue();
        assertThat(baggageWhenAnswered.get().getEntryValue("session.id")).isEqualTo("s-1");
        TracesAssert.assertThat(fixture.finishedSpans()).hasTracesSatisfyingExactly(trace -> trace.hasSpansSatisfyingExactly(
                span -> span.hasName("application_process_request").hasNoParent(),
                span -> span.hasName("process llm.replies").hasKind(SpanKind.CONSUMER)
                        .hasParentSpanId(root.getSpanContext().getSpanId())
                        .hasTotalRecordedLinks(0)
                        .hasAttribute(REPLY_OUTCOME, "completed")));
    }

    @Test
    void aReplyAfterTheTimeoutIsLateAndCountedOnce() {
        String id = UUID.randomUUID().toString();
        var request = fixture.send(id, Context.root(), true);
        fixture.expireNext();

        handOver(fixture.reply(id, GATEWAY));

        assertThatThrownBy(request::get).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(KafkaReplyTimeoutException.class);
        assertThat(fixture.finishedSpans()).singleElement().satisfies(span -> assertThat(span)
                .hasName("process llm.replies").hasParentSpanId(GATEWAY_SPAN).hasAttribute(REPLY_OUTCOME, "late"));
        assertThat(fixture.lateReplies()).isEqualTo(1);
        assertThat(fixture.duplicateReplies()).isZero();
    }

    @Test
    void aSecondReplyIsADuplicateAndCountedOnce() {
        String id = UUID.randomUUID().toString();
        fixture.send(id, Context.root(), true);

        handOver(fixture.reply(id, GATEWAY));
        handOver(fixture.reply(id, GATEWAY));

        assertThat(fixture.finishedSpans()).extracting(span -> span.getAttributes().get(REPLY_OUTCOME))
                .containsExactly("completed", "duplicate");
        assertThat(fixture.duplicateReplies()).isEqualTo(1);
        assertThat(fixture.lateReplies()).isZero();
    }

    /**
     * A forged reply that comes first still wins (as any first reply), but the gateway's real answer
     * after it is not taken for a redelivery: it is counted as conflicting, logged with both records'
     * trace contexts, and its span hangs in the request's own trace.
     */
    @Test
    void aDifferentSecondReplyIsConflictingCountedLoggedAndShownInTheRequestsTrace(CapturedOutput output) {
        String id = UUID.randomUUID().toString();
        Span root = fixture.openTelemetry.getTracer("test").spanBuilder("application_process_request").startSpan();
        fixture.send(id, Context.root().with(root), true);
        var forged = new ConsumerRecord<>(ReplyTemplateFixture.REPLIES, 2, 7L, id,
                "{\"response\":\"FORGED-by-attacker: wire money to mallory\",\"model\":\"evil\"}");
        forged.headers().add("kafka_correlationId", id.getBytes(java.nio.charset.StandardCharsets.UTF_8));

        handOver(forged);
        handOver(fixture.reply(id, GATEWAY));
        handOver(forged);
        root.end();

        assertThat(fixture.finishedSpans()).filteredOn(span -> span.getName().equals("process llm.replies"))
                .extracting(span -> span.getAttributes().get(REPLY_OUTCOME)).containsExactly("completed", "conflicting", "duplicate");
        assertThat(fixture.conflictingReplies()).isEqualTo(1);
        assertThat(fixture.duplicateReplies()).as("the forged one again").isEqualTo(1);
        assertThat(fixture.finishedSpans()).filteredOn(span -> "conflicting".equals(span.getAttributes().get(REPLY_OUTCOME)))
                .singleElement().satisfies(span -> assertThat(span).hasTraceId(root.getSpanContext().getTraceId())
                        .hasParentSpanId(root.getSpanContext().getSpanId()));
        assertThat(output.getOut()).contains("Conflicting reply dropped: correlation id " + id + " was answered at llm.replies-2@7 "
                + "(trace context none); this reply at llm.replies-2@").contains("(trace context " + GATEWAY_TRACE + "-" + GATEWAY_SPAN + ")");
    }

    @Test
    void theSameReplyTwiceIsADuplicateNotAConflict() {
        String id = UUID.randomUUID().toString();
        fixture.send(id, Context.root(), true);

        handOver(fixture.reply(id, GATEWAY));
        handOver(fixture.reply(id, Context.root()));

        assertThat(fixture.duplicateReplies()).isEqualTo(1);
        assertThat(fixture.conflictingReplies()).isZero();
    }

    @Test
    void aReplyForAnotherInstanceIsIgnoredWithoutASpan() {
        handOver(fixture.reply(UUID.randomUUID().toString(), GATEWAY));

        assertThat(fixture.finishedSpans()).isEmpty();
        assertThat(fixture.lateReplies()).isZero();
        assertThat(fixture.duplicateReplies()).isZero();
    }

    @Test
    void aFailureWhileCompletingTheRequestMarksTheSpanAndIsRethrown() {
        String id = UUID.randomUUID().toString();
        fixture.send(id, Context.root(), true);
        var broken = new IllegalStateException("the reply checker broke");
        fixture.template.setReplyErrorChecker(record -> {
            throw broken;
        });

        try (Scope ignored = caller.makeCurrent()) {
            assertThatThrownBy(() -> fixture.template.onMessage(List.of(fixture.reply(id, GATEWAY)))).isSameAs(broken);
            assertThat(Context.current()).isSameAs(caller);
        }

        assertThat(fixture.finishedSpans()).singleElement().satisfies(span -> assertThat(span)
                .hasName("process llm.replies").hasParentSpanId(GATEWAY_SPAN)
                .hasStatusSatisfying(status -> status.hasCode(StatusCode.ERROR).hasDescription("the reply checker broke"))
                .hasException(broken));
    }

    /** Hands a reply over as the reply container would, from a context of its own that must be left as it was. */
    private void handOver(ConsumerRecord<String, String> reply) {
        try (Scope ignored = caller.makeCurrent()) {
            fixture.template.onMessage(List.of(reply));
            assertThat(Context.current()).isSameAs(caller);
        }
    }
}
