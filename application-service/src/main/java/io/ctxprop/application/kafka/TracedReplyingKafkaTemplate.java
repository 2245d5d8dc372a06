package io.ctxprop.application.kafka;

import io.ctxprop.telemetry.kafka.KafkaTracing;
import io.ctxprop.telemetry.propagation.TraceIds;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.context.Context;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.listener.GenericMessageListenerContainer;
import org.springframework.kafka.requestreply.CorrelationKey;
import org.springframework.kafka.requestreply.ReplyingKafkaTemplate;
import org.springframework.kafka.requestreply.RequestReplyFuture;
import org.springframework.kafka.support.KafkaHeaders;

/**
 * Spring Kafka's request/reply, traced: each reply of this instance is handled inside a
 * {@code process <reply topic>} CONSUMER span that continues the gateway's context (or, when the
 * request was sent without context, the request's own). The record key is the correlation id, a
 * readable UUID. All instances read all replies (one consumer group each); a reply for another
 * instance is ignored quietly, while a late or repeated reply of this one is logged with its trace id.
 */
final class TracedReplyingKafkaTemplate extends ReplyingKafkaTemplate<String, String, String> {

    static final AttributeKey<String> REPLY_OUTCOME = AttributeKey.stringKey("reply.outcome");
    private static final Logger LOGGER = LoggerFactory.getLogger(TracedReplyingKafkaTemplate.class);

    private final KafkaTracing tracing;
    private final ReplyLedger ledger;
    private final String consumerGroup;
    private final LongCounter lateReplies;
    private final LongCounter duplicateReplies;

    TracedReplyingKafkaTemplate(ProducerFactory<String, String> producers,
            GenericMessageListenerContainer<String, String> replyContainer, KafkaTracing tracing, ReplyLedger ledger,
            String consumerGroup, Meter meter) {
        super(producers, replyContainer);
        this.lateReplies = meter.counterBuilder("ctxprop.kafka.replies.late").setUnit("{reply}")
                .setDescription("Replies that arrived after their request had timed out").build();
        this.duplicateReplies = meter.counterBuilder("ctxprop.kafka.replies.duplicate").setUnit("{reply}")
                .setDescription("Second replies to a request already answered (a redelivered request), dropped").build();
        this.tracing = tracing;
        this.ledger = ledger;
        this.consumerGroup = consumerGroup;
        setSharedReplyTopic(true);
        setCorrelationIdStrategy(record -> new CorrelationKey(record.key().getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public void onMessage(List<ConsumerRecord<String, String>> replies) {
        for (ConsumerRecord<String, String> reply : replies) {
            String correlationId = correlationId(reply);
            ReplyLedger.Entry entry = correlationId == null ? null : ledger.find(correlationId);
            if (entry == null) {
                super.onMessage(List.of(reply));
                continue;
            }
            Context parent = entry.propagated() ? tracing.extract(reply.headers()) : entry.sentFrom();
            tracing.process(reply, parent, consumerGroup, correlationId, span -> {
                span.setAttribute(REPLY_OUTCOME, switch (entry.state()) {
                    case WAITING -> "completed";
                    case ANSWERED -> "duplicate";
                    case TIMED_OUT -> "late";
                });
                ledger.mark(correlationId, entry.state() == ReplyLedger.State.WAITING ? ReplyLedger.State.ANSWERED : entry.state());
                super.onMessage(List.of(reply));
                return null;
            });
        }
    }

    @Override
    protected boolean handleTimeout(Object correlationId, RequestReplyFuture<String, String, String> future) {
        if (correlationId instanceof CorrelationKey key) {
            ledger.mark(new String(key.getCorrelationId(), StandardCharsets.UTF_8), ReplyLedger.State.TIMED_OUT);
        }
        return super.handleTimeout(correlationId, future);
    }

    @Override
    protected void logLateArrival(ConsumerRecord<String, String> reply, Object correlationId) {
        String id = correlationId(reply);
        ReplyLedger.Entry entry = id == null ? null : ledger.find(id);
        String traceId = TraceIds.of(tracing.extract(reply.headers()));
        if (entry == null) {
            LOGGER.debug("Reply {} is for another instance", id);
        } else if (entry.state() == ReplyLedger.State.TIMED_OUT) {
            lateReplies.add(1);
            LOGGER.warn("Late reply dropped: correlation id {}, trace id {}, arrived after its request timed out", id, traceId);
        } else {
            duplicateReplies.add(1);
            LOGGER.info("Duplicate reply dropped: correlation id {}, trace id {} (the request was redelivered)", id, traceId);
        }
    }

    static String correlationId(ConsumerRecord<String, ?> record) {
        Header header = record.headers().lastHeader(KafkaHeaders.CORRELATION_ID);
        return header == null ? null : KafkaTracing.conversationId(header.value());
    }
}
