package io.ctxprop.application.kafka;

import io.ctxprop.telemetry.SpanBaggage;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What this instance knows of each request it sent over Kafka, by correlation id: where it was sent
 * from (the request's span and baggage, which parent the reply's span when no context travelled),
 * whether the context went with it, and how it ended. Only the span context and the baggage entries
 * that reach spans ({@link SpanBaggage}) are kept, not the whole {@link Context}, whose spans would hold
 * the prompt and answer attributes, nor a caller's whole baggage (up to 8 KB for each entry). Bounded:
 * the oldest entries go first, so a reply arriving after {@value #CAPACITY} newer requests is
 * treated as unknown.
 *
 * <p>Every transition happens under the one lock of this ledger: a reply's check and mark are one
 * step ({@link #arrive}), and so is a timeout ({@link #timedOut}), so whichever comes second sees
 * what the first did.
 */
final class ReplyLedger {

    static final int CAPACITY = 10_000;

    enum State { WAITING, ANSWERED, TIMED_OUT }

    /**
     * How a reply stood when it arrived: the first for a waiting request, the same answer again after
     * it was answered, a different answer after it was answered, or after a timeout.
     */
    enum Arrival { FIRST, DUPLICATE, CONFLICTING, LATE }

    /**
     * What a reply needs to know about its request.
     *
     * @param firstReply the request's first reply, for a later one (null for the first, and for a late one)
     */
    record Claim(SpanContext sentFrom, Baggage baggage, boolean propagated, Arrival arrival, ReplyFingerprint firstReply) {

        /** The context the request was sent from, rebuilt: parent of the reply's span when no context travelled. */
        Context sender() {
            return Context.root().with(Span.wrap(sentFrom)).with(baggage);
        }
    }

    private record Request(SpanContext sentFrom, Baggage baggage, boolean propagated, State state, ReplyFingerprint firstReply) {

        Request with(State next) {
            return new Request(sentFrom, baggage, propagated, next, firstReply);
        }

        Request answeredBy(ReplyFingerprint reply) {
            return new Request(sentFrom, baggage, propagated, State.ANSWERED, reply);
        }
    }

    private final Map<String, Request> requests = new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Request> eldest) {
            return size() > CAPACITY;
        }
    };

    private final SpanBaggage spanBaggage;

    ReplyLedger(SpanBaggage spanBaggage) {
        this.spanBaggage = spanBaggage;
    }

    synchronized void sent(String correlationId, Context sentFrom, boolean propagated) {
        requests.put(correlationId, new Request(Span.fromContext(sentFrom).getSpanContext(), spanBaggage.of(Baggage.fromContext(sentFrom)),
                propagated, State.WAITING, null));
    }

    /**
     * A reply arrived: says how its request stood and, for the first reply to a waiting request, marks
     * it answered (remembering the reply) in the same step. A later reply is a duplicate when its value
     * is the first one's, else conflicting. Null when the reply is for another instance (or too old to
     * remember).
     */
    synchronized Claim arrive(String correlationId, ReplyFingerprint reply) {
        Request request = requests.get(correlationId);
        if (request == null) {
            return null;
        }
        Arrival arrival = switch (request.state()) {
            case WAITING -> Arrival.FIRST;
            case ANSWERED -> request.firstReply() == null || request.firstReply().sameValue(reply) ? Arrival.DUPLICATE : Arrival.CONFLICTING;
            case TIMED_OUT -> Arrival.LATE;
        };
        if (arrival == Arrival.FIRST) {
            requests.put(correlationId, request.answeredBy(reply));
        }
        return new Claim(request.sentFrom(), request.baggage(), request.propagated(), arrival, request.firstReply());
    }

    /**
     * The request's wait is over without its answer: Spring's reply timeout took the request, possibly
     * just after its first reply had claimed it. Whatever else arrives for it from now on is late.
     */
    synchronized void timedOut(String correlationId) {
        requests.computeIfPresent(correlationId, (id, request) -> request.with(State.TIMED_OUT));
    }
}
