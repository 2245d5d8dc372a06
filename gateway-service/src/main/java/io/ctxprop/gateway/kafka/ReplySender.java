package io.ctxprop.gateway.kafka;

import io.ctxprop.telemetry.SpanRunner;
import io.ctxprop.telemetry.kafka.KafkaTracing;
import io.opentelemetry.api.trace.Span;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.stereotype.Component;

/**
 * Writes a reply inside a {@code send <reply topic>} PRODUCER span whose context travels in the
 * reply's headers, with the request's correlation id copied. Returns once the broker has the reply
 * ({@link ReplyProducer}), so the request's offset is only committed after that.
 */
@Component
class ReplySender {

    private final ReplyProducer producer;
    private final KafkaTracing tracing;

    ReplySender(ReplyProducer producer, KafkaTracing tracing) {
        this.producer = producer;
        this.tracing = tracing;
    }

    void send(KafkaRequest request, byte[] value) {
        String conversationId = KafkaTracing.conversationId(request.correlationId());
        var reply = new ProducerRecord<>(request.replyTopic(), request.replyPartition(), conversationId, value);
        reply.headers().add(KafkaHeaders.CORRELATION_ID, request.correlationId());
        Span span = tracing.startSend(reply, conversationId);
        SpanRunner.call(span, current -> {
            tracing.inject(current, reply.headers());
            tracing.sent(current, producer.sendAndWait(reply));
            return null;
        });
    }

}
