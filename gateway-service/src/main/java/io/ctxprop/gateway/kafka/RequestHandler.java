package io.ctxprop.gateway.kafka;

import io.ctxprop.gateway.completion.Completion;
import io.ctxprop.gateway.process.LlmGatewayProcess;
import io.ctxprop.telemetry.kafka.InboundContext;
import io.ctxprop.telemetry.kafka.KafkaTracing;
import io.ctxprop.telemetry.metrics.ContextMetrics;
import io.ctxprop.telemetry.web.TracedProblem;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;
import tools.jackson.databind.json.JsonMapper;

/**
 * One request record, end to end, inside {@code process <topic>} (CONSUMER), which continues the
 * trace from the record's headers (broken trace headers start a new trace, and the span says why):
 * read it, check its reply routing, answer it through the same {@link LlmGatewayProcess} as the
 * HTTP path (a model failure is a reply too: {@code {"error", "status"}}) and send the reply. Every
 * record ends here: a record that is wrong in itself is dead-lettered at once with its reason; a
 * step that fails is tried again with backoff and, when it keeps failing, the record is
 * dead-lettered as {@code processing-failed}. Only an interrupt (the gateway stopping) leaves a
 * record without an end, and then it is not acknowledged and comes again.
 */
final class RequestHandler {

    private final KafkaTracing tracing;
    private final Tracer tracer;
    private final LlmGatewayProcess process;
    private final ReplySender replies;
    private final ReplyRoutes routes;
    private final ConsumerRecordRecoverer deadLetters;
    private final Retries retries;
    private final RequestReader reader;
    private final JsonMapper json;
    private final String consumerGroup;
    private final ContextMetrics context;

    RequestHandler(KafkaTracing tracing, Tracer tracer, LlmGatewayProcess process, ReplySender replies, ReplyRoutes routes,
            ConsumerRecordRecoverer deadLetters, Retries retries, RequestReader reader, JsonMapper json, String consumerGroup,
            ContextMetrics context) {
        this.tracing = tracing;
        this.tracer = tracer;
        this.process = process;
        this.replies = replies;
        this.routes = routes;
        this.deadLetters = deadLetters;
        this.retries = retries;
        this.reader = reader;
        this.json = json;
        this.consumerGroup = consumerGroup;
        this.context = context;
    }

    void handle(ConsumerRecord<String, byte[]> record) {
        InboundContext inbound = tracing.extractChecked(record.headers());
        inbound.problems().forEach(problem -> context.notPropagated("kafka", problem));
        tracing.process(record, inbound, consumerGroup, KafkaTracing.conversationId(record), span -> {
            try {
                KafkaRequest request = reader.read(record);
                retries.run(span, "reply routing", () -> routes.check(request));
                byte[] reply = retries.call(span, "answer", () -> answer(request.text()));
                retries.run(span, "reply", () -> replies.send(request, reply));
                return null;
            } catch (RuntimeException failure) {
                if (Thread.currentThread().isInterrupted()) {
                    throw failure; // stopping: not ended, not acknowledged, delivered again
                }
                return deadLetter(span, record, failure);
            }
        });
    }

    private String deadLetter(Span span, ConsumerRecord<String, byte[]> record, RuntimeException failure) {
        String reason = TracedDeadLetterRecoverer.reasonOf(failure).code();
        span.setStatus(StatusCode.ERROR, reason);
        span.recordException(failure);
        retries.runUntilDone(span, "dead letter", () -> deadLetters.accept(record, failure));
        return reason;
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
