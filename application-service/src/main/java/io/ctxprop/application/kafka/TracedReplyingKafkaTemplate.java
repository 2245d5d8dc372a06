package io.ctxprop.application.kafka;

import io.ctxprop.telemetry.kafka.KafkaTracing;
import io.ctxprop.telemetry.propagation.TraceIds;
import io.ctxprop.telemetry.streaming.StreamHeaders;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.listener.GenericMessageListenerContainer;
import org.springframework.kafka.requestreply.CorrelationKey;
import org.springframework.kafka.requestreply.ReplyingKafkaTemplate;
import org.springframework.kafka.requestreply.RequestReplyFuture;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.scheduling.TaskScheduler;

/**
 * Spring Kafka's request/reply, traced: each reply of this instance is handled inside a
 * {@code process <reply topic>} CONSUMER span that continues the gateway's context (or, when the
 * request was sent without context, the request's own). The record key is the correlation id, a
 * readable UUID. All instances read all replies (one consumer group each); a reply for another
 * instance is ignored quietly, while a late or repeated reply of this one is counted once and logged
 * with its trace id. A second reply that says something else than the first ({@code conflicting}: a
 * forged reply, or another answer) is counted and logged as a warning naming both records; the first
 * still wins. Its span hangs under the request's own context, whatever the record claims, so the
 * user's trace shows that two different answers arrived.
 *
 * <p>The records of a streamed answer ({@link ReplyStreams}) are put in order by their stream, under one
 * span per stream; once the stream has ended, its late records are dropped quietly.
 *
 * <p>Who gets a waiting request is decided twice, and both decisions agree: the {@link ReplyLedger}
 * lets only the first reply through to Spring, and Spring gives the request either to that reply or
 * to its reply timeout. A first reply that finds the timeout got there first is late.
 */
final class TracedReplyingKafkaTemplate extends ReplyingKafkaTemplate<String, String, String> {

    static final AttributeKey<String> REPLY_OUTCOME = AttributeKey.stringKey("reply.outcome");
    private static final Logger LOGGER = LoggerFactory.getLogger(TracedReplyingKafkaTemplate.class);

    private enum Outcome {
        COMPLETED("completed"), DUPLICATE("duplicate"), CONFLICTING("conflicting"), LATE("late");

        private final String attribute;

        Outcome(String attribute) {
            this.attribute = attribute;
        }
    }

    private final KafkaTracing tracing;
    private final ReplyLedger ledger;
    private final String consumerGroup;
    private final LongCounter lateReplies;
    private final LongCounter duplicateReplies;
    private final LongCounter invalidReplies;
    private final LongCounter conflictingReplies;
    private final ReplyStreams streams;
    /** Replies Spring found no waiting request for: it says so only through {@link #logLateArrival}. */
    private final Set<ConsumerRecord<String, String>> unmatched = ConcurrentHashMap.newKeySet();
    /** Set when the template's scheduler is one: each request's timeout is then cancelled once it has ended. */
    private volatile ReplyTimeouts replyTimeouts;

    TracedReplyingKafkaTemplate(ProducerFactory<String, String> producers,
            GenericMessageListenerContainer<String, String> replyContainer, KafkaTracing tracing, ReplyLedger ledger,
            ReplyStreams streams, String consumerGroup, Meter meter) {
        super(producers, replyContainer);
        this.lateReplies = meter.counterBuilder("ctxprop.kafka.replies.late").setUnit("{reply}")
                .setDescription("Replies that arrived after their request had timed out").build();
        this.duplicateReplies = meter.counterBuilder("ctxprop.kafka.replies.duplicate").setUnit("{reply}")
                .setDescription("Second replies to a request already answered, or chunk records of a stream seen before (redelivered), dropped").build();
        this.conflictingReplies = meter.counterBuilder("ctxprop.kafka.replies.conflicting").setUnit("{reply}")
                .setDescription("Replies to a request already answered that say something else than its first reply (forged, or a second answer), dropped").build();
        this.invalidReplies = meter.counterBuilder("ctxprop.kafka.replies.invalid").setUnit("{reply}")
                .setDescription("Records of a streamed answer that cannot belong to it (no usable chunk sequence number), dropped").build();
        this.streams = streams;
        this.tracing = tracing;
        this.ledger = ledger;
        this.consumerGroup = consumerGroup;
        setSharedReplyTopic(true);
        setCorrelationIdStrategy(record -> new CorrelationKey(record.key().getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public void setTaskScheduler(TaskScheduler scheduler) {
        super.setTaskScheduler(scheduler);
        this.replyTimeouts = scheduler instanceof ReplyTimeouts timeouts ? timeouts : null;
    }

    /** Spring's scheduler is shut down with the template; one set from outside is not, unless it is this class's. */
    @Override
    public void destroy() {
        super.destroy();
        ReplyTimeouts timeouts = replyTimeouts;
        if (timeouts != null) {
            timeouts.destroy();
        }
    }

    /**
     * Spring's request/reply, with the request's reply timeout cancelled once the request has ended (a
     * reply, or the timeout itself): Spring schedules it on this thread and keeps no handle.
     */
    @Override
    public RequestReplyFuture<String, String, String> sendAndReceive(ProducerRecord<String, String> record, Duration replyTimeout) {
        ReplyTimeouts timeouts = replyTimeouts;
        if (timeouts == null) {
            return super.sendAndReceive(record, replyTimeout);
        }
        RequestReplyFuture<String, String, String> request;
        ScheduledFuture<?> timeout;
        try {
            request = super.sendAndReceive(record, replyTimeout);
        } finally {
            // taken whatever happens, so that no later request on this thread finds this one's; a send that
            // threw keeps its timeout, which is what clears Spring's entry for it
            timeout = timeouts.takeScheduledHere();
        }
        if (timeout != null) {
            // nor does Spring react to a request given up (cancelled when its send failed): it keeps its timeout too
            request.whenComplete((reply, failure) -> {
                if (!request.isCancelled()) {
                    timeout.cancel(false);
                }
            });
        }
        return request;
    }

    @Override
    public void onMessage(List<ConsumerRecord<String, String>> replies) {
        for (ConsumerRecord<String, String> reply : replies) {
            String correlationId = correlationId(reply);
            ReplyStream stream = correlationId == null ? null : streams.get(correlationId);
            if (stream != null) {
                route(stream, reply, correlationId);
                continue;
            }
            ReplyStreams.Ended ended = correlationId == null || !StreamHeaders.isSet(reply.headers(), StreamHeaders.LAST) ? null
                    : streams.ended(correlationId);
            if (ended != null) {
                afterTheEnd(reply, correlationId, ended);
                continue;
            }
            ReplyLedger.Claim claim = correlationId == null ? null : ledger.arrive(correlationId, fingerprint(reply));
            if (claim == null) {
                // Spring still completes a request the bounded ledger forgot; anything else is another instance's
                if (!deliver(reply)) {
                    LOGGER.debug("Reply {} is for another instance", correlationId);
                }
                continue;
            }
            // a conflicting reply's own context may be forged: it is shown where the request was sent from
            Context parent = claim.propagated() && claim.arrival() != ReplyLedger.Arrival.CONFLICTING
                    ? tracing.extract(reply.headers()) : claim.sender();
            tracing.process(reply, parent, consumerGroup, correlationId, span -> {
                Outcome outcome = outcome(reply, correlationId, claim.arrival());
                span.setAttribute(REPLY_OUTCOME, outcome.attribute);
                count(outcome, reply, correlationId, claim.firstReply());
                return null;
            });
        }
    }

    /**
     * A record of a streamed answer of this instance goes to its stream, which hands the pieces in order
     * to the waiting request; the stream's one span starts with its first record. Nothing here waits.
     */
    private void route(ReplyStream stream, ConsumerRecord<String, String> reply, String correlationId) {
        tracing.received(reply, consumerGroup);
        ReplyFingerprint fingerprint = StreamHeaders.isSet(reply.headers(), StreamHeaders.LAST) ? fingerprint(reply) : null;
        var verdict = stream.accept(reply, fingerprint, () -> tracing.startProcess(reply,
                stream.propagated() ? tracing.extract(reply.headers()) : stream.sentFrom(), consumerGroup, correlationId));
        if (verdict == ChunkAssembler.Verdict.CONFLICTING) {
            conflicting(reply, correlationId, stream.lastReply(), stream.sentFrom());
        } else if (verdict == ChunkAssembler.Verdict.DUPLICATE) {
            duplicateReplies.add(1);
            LOGGER.debug("Duplicate record of stream {} dropped (offset {})", correlationId, reply.offset());
        } else if (verdict == ChunkAssembler.Verdict.LATE) {
            lateReplies.add(1);
            LOGGER.debug("Record of stream {} dropped: its request's wait is over (offset {})", correlationId, reply.offset());
        } else if (verdict == ChunkAssembler.Verdict.INVALID) {
            invalidReplies.add(1);
            // DEBUG, with the counter: whoever can write to the reply topic must not be able to flood the log
            LOGGER.debug("Record of stream {} dropped: it cannot belong to the stream (partition {}, offset {})",
                    correlationId, reply.partition(), reply.offset());
        }
    }

    /** A last record of a stream that has ended whole: the same answer again (a redelivery), or a different one. */
    private void afterTheEnd(ConsumerRecord<String, String> reply, String correlationId, ReplyStreams.Ended ended) {
        if (ended.lastReply().sameValue(fingerprint(reply))) {
            duplicateReplies.add(1);
            LOGGER.debug("Duplicate last record of stream {} dropped (offset {})", correlationId, reply.offset());
        } else {
            conflicting(reply, correlationId, ended.lastReply(), ended.sentFrom());
        }
    }

    /**
     * A reply that says something else than the one the request got: counted, logged with both, and a
     * span of its own under the request's context (the reply's own may be forged), so the user's trace shows it.
     */
    private void conflicting(ConsumerRecord<String, String> reply, String correlationId, ReplyFingerprint first, Context sentFrom) {
        tracing.process(reply, sentFrom, consumerGroup, correlationId, span -> {
            span.setAttribute(REPLY_OUTCOME, Outcome.CONFLICTING.attribute);
            count(Outcome.CONFLICTING, reply, correlationId, first);
            return null;
        });
    }

    private Outcome outcome(ConsumerRecord<String, String> reply, String correlationId, ReplyLedger.Arrival arrival) {
        return switch (arrival) {
            case DUPLICATE -> Outcome.DUPLICATE;
            case CONFLICTING -> Outcome.CONFLICTING;
            case LATE -> Outcome.LATE;
            case FIRST -> {
                if (deliver(reply)) {
                    yield Outcome.COMPLETED;
                }
                ledger.timedOut(correlationId);
                yield Outcome.LATE;
            }
        };
    }

    /** Hands one reply to Spring; true when a waiting request took it. */
    private boolean deliver(ConsumerRecord<String, String> reply) {
        super.onMessage(List.of(reply));
        return !unmatched.remove(reply);
    }

    private void count(Outcome outcome, ConsumerRecord<String, String> reply, String correlationId, ReplyFingerprint first) {
        if (outcome == Outcome.LATE) {
            lateReplies.add(1);
            LOGGER.warn("Late reply dropped: correlation id {}, trace id {}, arrived after its request timed out",
                    correlationId, TraceIds.of(tracing.extract(reply.headers())));
        } else if (outcome == Outcome.CONFLICTING) {
            conflictingReplies.add(1);
            LOGGER.warn("Conflicting reply dropped: correlation id {} was answered at {} (trace context {}); this reply at {} "
                            + "(trace context {}) says something else. Who else can write to {}?", correlationId, first.coordinates(),
                    first.traceContext(), coordinates(reply), traceContext(reply), reply.topic());
        } else if (outcome == Outcome.DUPLICATE) {
            duplicateReplies.add(1);
            LOGGER.info("Duplicate reply dropped: correlation id {}, trace id {} (the request was redelivered)",
                    correlationId, TraceIds.of(tracing.extract(reply.headers())));
        }
    }

    @Override
    protected boolean handleTimeout(Object correlationId, RequestReplyFuture<String, String, String> future) {
        if (correlationId instanceof CorrelationKey key) {
            ledger.timedOut(new String(key.getCorrelationId(), StandardCharsets.UTF_8));
        }
        return super.handleTimeout(correlationId, future);
    }

    @Override
    protected void logLateArrival(ConsumerRecord<String, String> reply, Object correlationId) {
        unmatched.add(reply);
    }

    private ReplyFingerprint fingerprint(ConsumerRecord<String, String> reply) {
        return ReplyFingerprint.of(reply.value(), traceContext(reply), coordinates(reply));
    }

    /** The reply's trace context as the propagator read it (never the raw header: it is the sender's text). */
    private String traceContext(ConsumerRecord<String, String> reply) {
        SpanContext context = Span.fromContext(tracing.extract(reply.headers())).getSpanContext();
        return context.isValid() ? context.getTraceId() + "-" + context.getSpanId() : "none";
    }

    private static String coordinates(ConsumerRecord<String, ?> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }

    static String correlationId(ConsumerRecord<String, ?> record) {
        Header header = record.headers().lastHeader(KafkaHeaders.CORRELATION_ID);
        return header == null ? null : KafkaTracing.conversationId(header.value());
    }
}
