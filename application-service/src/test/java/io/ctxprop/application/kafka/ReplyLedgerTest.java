package io.ctxprop.application.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.ctxprop.application.kafka.ReplyLedger.Arrival;
import io.ctxprop.telemetry.SpanBaggage;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The ledger's transitions, and what it keeps of the context a request was sent from. */
class ReplyLedgerTest {

    static final SpanContext ROOT = SpanContext.create("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331",
            TraceFlags.getSampled(), TraceState.getDefault());

    static final ReplyFingerprint ANSWER = ReplyFingerprint.of("{\"response\":\"an answer\"}", "gateway", "llm.replies-0@1");
    static final ReplyFingerprint FORGED = ReplyFingerprint.of("{\"response\":\"FORGED\"}", "none", "llm.replies-0@0");

    private final ReplyLedger ledger = new ReplyLedger(new SpanBaggage(Set.of("session.id")));

    @Test
    void keepsOnlyTheSpanContextAndBaggageToParentTheReply() {
        ContextKey<String> other = ContextKey.named("anything else, such as the root span's prompt");
        Baggage baggage = Baggage.builder().put("session.id", "s-1").build();
        ledger.sent("id-1", Context.root().with(Span.wrap(ROOT)).with(baggage).with(other, "kept nowhere"), false);

        Context sender = ledger.arrive("id-1", ANSWER).sender();

        assertThat(Span.fromContext(sender).getSpanContext()).isEqualTo(ROOT);
        assertThat(Baggage.fromContext(sender)).isEqualTo(baggage);
        assertThat(sender.get(other)).isNull();
    }

    /** A caller's baggage may hold 8 KB in 180 entries, for each of 10,000 entries: only what reaches spans is kept. */
    @Test
    void keepsNoBaggageEntryButTheOnesThatReachSpans() {
        var hostile = Baggage.builder().put("session.id", "s-1");
        for (int i = 0; i < 170; i++) {
            hostile.put("junk-" + i, "x".repeat(40));
        }
        ledger.sent("id-1", Context.root().with(Span.wrap(ROOT)).with(hostile.build()), false);

        Baggage kept = Baggage.fromContext(ledger.arrive("id-1", ANSWER).sender());

        assertThat(kept.asMap()).containsOnlyKeys("session.id");
        assertThat(kept.getEntryValue("session.id")).isEqualTo("s-1");
        var none = new ReplyLedger(new SpanBaggage(Set.of()));
        none.sent("id-2", Context.root().with(hostile.build()), false);
        assertThat(Baggage.fromContext(none.arrive("id-2", ANSWER).sender()).isEmpty()).as("nothing reaches spans: nothing kept").isTrue();
    }

    @Test
    void theFirstReplyToAWaitingRequestClaimsItAndTheNextIsADuplicate() {
        ledger.sent("id-1", Context.root(), true);

        assertThat(ledger.arrive("id-1", ANSWER).arrival()).isEqualTo(Arrival.FIRST);
        assertThat(ledger.arrive("id-1", ANSWER).arrival()).isEqualTo(Arrival.DUPLICATE);
        assertThat(ledger.arrive("id-1", ANSWER).propagated()).isTrue();
    }

    @Test
    void aDifferentSecondReplyIsConflictingAndNamesTheFirstWhichStillWins() {
        ledger.sent("id-1", Context.root(), true);

        assertThat(ledger.arrive("id-1", FORGED).arrival()).isEqualTo(Arrival.FIRST);
        ReplyLedger.Claim second = ledger.arrive("id-1", ANSWER);
        assertThat(second.arrival()).isEqualTo(Arrival.CONFLICTING);
        assertThat(second.firstReply().coordinates()).as("the first reply stays the one that counted").isEqualTo("llm.replies-0@0");
        assertThat(ledger.arrive("id-1", FORGED).arrival()).as("the first one again").isEqualTo(Arrival.DUPLICATE);
        assertThat(ledger.arrive("id-1", ANSWER).arrival()).isEqualTo(Arrival.CONFLICTING);
    }

    @Test
    void afterATimeoutEveryReplyIsLateEvenOneThatClaimedTheRequestFirst() {
        ledger.sent("id-1", Context.root(), true);
        ledger.sent("id-2", Context.root(), true);
        assertThat(ledger.arrive("id-2", ANSWER).arrival()).isEqualTo(Arrival.FIRST);

        ledger.timedOut("id-1");
        ledger.timedOut("id-2");

        assertThat(ledger.arrive("id-1", ANSWER).arrival()).isEqualTo(Arrival.LATE);
        assertThat(ledger.arrive("id-2", ANSWER).arrival()).isEqualTo(Arrival.LATE);
    }

    @Test
    void anUnknownOrForgottenRequestIsAnotherInstances() {
        ledger.sent("oldest", Context.root(), true);
        for (int i = 0; i < ReplyLedger.CAPACITY; i++) {
            ledger.sent("newer-" + i, Context.root(), true);
        }

        assertThat(ledger.arrive("oldest", ANSWER)).isNull();
        assertThat(ledger.arrive("never-sent", ANSWER)).isNull();
        assertThat(ledger.arrive("newer-0", ANSWER)).isNotNull();
    }
}
