package io.ctxprop.gateway.kafka;

import io.ctxprop.gateway.completion.Completion;
import io.ctxprop.gateway.process.LlmGatewayProcess;
import io.ctxprop.telemetry.metrics.ContextMetrics;
import io.ctxprop.telemetry.propagation.TraceIds;
import io.ctxprop.telemetry.kafka.KafkaTracing;
import io.ctxprop.telemetry.web.TracedProblem;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * One request record, end to end: continue the trace from its headers in {@code process <topic>}
 * (CONSUMER), then answer it through the same {@link LlmGatewayProcess} as the HTTP path and reply,
 * or send it to the dead-letter topic. A model failure is a reply too: {@code {"error", "status"}}.
 */
@Component
class RequestHandler {

    private final KafkaTracing tracing;
    private final Tracer tracer;
    private final LlmGatewayProcess process;
    private final ReplySender replies;
    private final DeadLetterPublisher deadLetters;
    private final RequestReader reader;
    private final JsonMapper json;
    private final TopicProperties topics;
    private final ContextMetrics context;

    RequestHandler(KafkaTracing tracing, Tracer tracer, LlmGatewayProcess process, ReplySender replies,
            DeadLetterPublisher deadLetters, JsonMapper json, TopicProperties topics, ContextMetrics context,
            @Value("${gateway.max-text-length}") int maxTextLength) {
        this.context = context;
        this.tracing = tracing;
        this.tracer = tracer;
        this.process = process;
        this.replies = replies;
        this.deadLetters = deadLetters;
        this.json = json;
        this.topics = topics;
        this.reader = new RequestReader(json, topics.replies(), maxTextLength);
    }

    void handle(ConsumerRecord<String, byte[]> record) {
        Context producer = tracing.extract(record.headers());
        Header correlation = record.headers().lastHeader(KafkaHeaders.CORRELATION_ID);
        String conversationId = correlation == null ? record.key() : KafkaTracing.conversationId(correlation.value());
        if (!TraceIds.isRemoteParent(producer)) {
            context.notPropagated("kafka");
        }
        tracing.process(record, producer, topics.groupId(), conversationId, current -> {
            KafkaRequest request;
            try {
                request = reader.read(record);
            } catch (PoisonRecord poison) {
                current.setStatus(StatusCode.ERROR, poison.reason().code());
                current.recordException(poison);
                deadLetters.publish(record, poison, conversationId);
                return poison.reason().code();
            }
            replies.send(request, answer(request.text()));
            return null;
        });
    }

    private byte[] answer(String text) {
        Span span = tracer.spanBuilder(LlmGatewayProcess.SPAN_NAME).startSpan();
        Map<String, Object> reply = new LinkedHashMap<>();
        try (Scope ignored = span.makeCurrent()) {
            Completion completion = process.process(text, "kafka", span);
            reply.put("response", completion.text());
            reply.put("model", completion.model());
        } catch (TracedProblem problem) {
            reply.put("error", problem.getMessage());
            reply.put("status", problem.status());
        } finally {
            span.end();
        }
        return json.writeValueAsBytes(reply);
    }
}
