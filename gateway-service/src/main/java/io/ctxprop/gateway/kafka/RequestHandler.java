package io.ctxprop.gateway.kafka;

import io.ctxprop.gateway.completion.Completion;
import io.ctxprop.gateway.completion.ModelCallCancelled;
import io.ctxprop.gateway.completion.StreamCancellation;
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
import tools.jackson.databind.json.JsonMapper;

/**
 * One request record, end to end, inside {@code process <topic>} (CONSUMER), which continues the
 * trace from the record's headers (broken trace headers start a new trace, and the span says why):
 * read it, check its reply routing, answer it through the same {@link LlmGatewayProcess} as the
 * HTTP path (a model failure is a reply too: {@code {"error", "status"}}) and send the reply. Every
 * record ends here: a record that is wrong in itself is dead-lettered at once with its reason; a
 * step that fails is tried again with backoff and, when it keeps failing, the record is
 * dead-lettered as {@code processing-failed}. Only the gateway closing with work still running leaves
 * a record without an end: it is not acknowledged and comes again after the restart.
 * <p>
 * A request with {@code ctxprop-stream: true} is answered by a {@link ReplyStream}: chunk records as
 * the model writes, then the last record; a cancelled one ends with {@code {"error":"Cancelled by
 * the caller","status":499}}.
 */
final class RequestHandler {

    private final KafkaTracing tracing;
    private final Tracer tracer;
    private final LlmGatewayProcess process;
    static final String CANCELLED = "Cancelled by the caller";
    /** The status nginx made known for a client that closed the request: not a failure of ours. */
    static final int CANCELLED_STATUS = 499;

    private final ReplySender replies;
    private final ReplyStreams streams;
    private final ReplyRoutes routes;
    private final DeadLetters deadLetters;
    private final Retries retries;
    private final RequestReader reader;
    private final JsonMapper json;
    private final String consumerGroup;
    private final ContextMetrics context;
    private volatile boolean stopping;

    RequestHandler(KafkaTracing tracing, Tracer tracer, LlmGatewayProcess process, ReplySender replies, ReplyStreams streams, ReplyRoutes routes,
            DeadLetters deadLetters, Retries retries, RequestReader reader, JsonMapper json, String consumerGroup,
            ContextMetrics context) {
        this.tracing = tracing;
        this.tracer = tracer;
        this.process = process;
        this.replies = replies;
        this.streams = streams;
        this.routes = routes;
        this.deadLetters = deadLetters;
        this.retries = retries;
        this.reader = reader;
        this.json = json;
        this.consumerGroup = consumerGroup;
        this.context = context;
    }

    void handle(ConsumerRecord<String, byte[]> record) {
        handle(record, new StreamCancellation());
    }

    /** @param cancellation stops the model call of a streamed request (a cancel record, or the gateway closing) */
    void handle(ConsumerRecord<String, byte[]> record, StreamCancellation cancellation) {
        InboundContext inbound = tracing.extractChecked(record.headers());
        inbound.problems().forEach(problem -> context.notPropagated("kafka", problem));
        tracing.process(record, inbound, consumerGroup, KafkaTracing.conversationId(record), span -> {
            try {
                KafkaRequest request = reader.read(record);
                retries.run(span, "reply routing", () -> routes.check(request));
                if (request.stream()) {
                    streamed(span, request, cancellation);
                    return null;
                }
                byte[] reply = retries.call(span, "answer", () -> answer(request.text()));
                retries.run(span, "reply", () -> replies.send(request, reply));
                return null;
            } catch (RuntimeException failure) {
                if (stopping) {
                    throw failure; // interrupted at shutdown: not ended, not acknowledged, delivered again
                }
                return deadLetter(span, record, failure);
            }
        });
    }

    /** A failure the handling above did not catch (an Error, a fault in the tracing itself): dead-lettered. */
    void deadLetterUnexpected(ConsumerRecord<String, byte[]> record, Throwable failure) {
        Exception reason = failure instanceof Exception exception ? exception : new IllegalStateException(failure.getClass().getName());
        Span span = Span.current();
        deadLetters.publish(span, record, reason);
    }

    /** The gateway is closing: work interrupted from now on is not answered (it is delivered again after the restart). */
    void stop() {
        stopping = true;
    }

    boolean stopping() {
        return stopping;
    }

    private String deadLetter(Span span, ConsumerRecord<String, byte[]> record, RuntimeException failure) {
        String reason = TracedDeadLetterRecoverer.reasonOf(failure).code();
        span.setStatus(StatusCode.ERROR, reason);
        span.recordException(failure);
        deadLetters.publish(span, record, failure);
        return reason;
    }

    /**
     * The model is asked once; its pieces go out as chunk records while it writes. Only the sending
     * of what is in memory is retried (the chunks that failed, then the last record).
     */
    private void streamed(Span span, KafkaRequest request, StreamCancellation cancellation) {
        ReplyStream stream = streams.open(request);
        RuntimeException failure = null;
        try {
            byte[] last = streamedAnswer(request.text(), stream, cancellation);
            retries.run(span, "reply", () -> stream.finish(last));
        } catch (RuntimeException failed) {
            failure = failed;
            throw failed;
        } finally {
            stream.end(failure);
        }
    }

    private byte[] streamedAnswer(String text, ReplyStream stream, StreamCancellation cancellation) {
        Span span = tracer.spanBuilder(LlmGatewayProcess.SPAN_NAME).startSpan();
        Map<String, Object> reply = new LinkedHashMap<>();
        try (Scope ignored = span.makeCurrent()) {
            Completion completion = process.stream(text, "kafka", span, cancellation, stream);
            reply.put("response", completion.text());
            reply.put("model", completion.model());
        } catch (ModelCallCancelled cancelled) {
            if (stopping) {
                throw cancelled; // stopped by the shutdown, not by the caller: answered after the restart
            }
            reply.put("error", CANCELLED);
            reply.put("status", CANCELLED_STATUS);
        } catch (TracedProblem problem) {
            if (stopping) {
                throw problem;
            }
            reply.put("error", problem.getMessage());
            reply.put("status", problem.status());
        } finally {
            span.end();
        }
        return json.writeValueAsBytes(reply);
    }

    private byte[] answer(String text) {
        Span span = tracer.spanBuilder(LlmGatewayProcess.SPAN_NAME).startSpan();
        Map<String, Object> reply = new LinkedHashMap<>();
        try (Scope ignored = span.makeCurrent()) {
            Completion completion = process.process(text, "kafka", span);
            reply.put("response", completion.text());
            reply.put("model", completion.model());
        } catch (TracedProblem problem) {
            if (stopping) {
                throw problem; // a model call cut short by the shutdown is not the model's answer
            }
            reply.put("error", problem.getMessage());
            reply.put("status", problem.status());
        } finally {
            span.end();
        }
        return json.writeValueAsBytes(reply);
    }
}
