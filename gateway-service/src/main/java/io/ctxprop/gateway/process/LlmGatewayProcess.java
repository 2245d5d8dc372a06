package io.ctxprop.gateway.process;

import static io.ctxprop.telemetry.attributes.OpenInferenceAttributes.*;

import io.ctxprop.gateway.completion.Completion;
import io.ctxprop.gateway.completion.CompletionService;
import io.ctxprop.gateway.completion.ModelCallCancelled;
import io.ctxprop.gateway.completion.StreamCancellation;
import io.ctxprop.gateway.status.RecentRequests;
import io.ctxprop.telemetry.ContentCapture;
import io.ctxprop.telemetry.SpanRunner;
import io.ctxprop.telemetry.streaming.StreamingAttributes;
import io.ctxprop.telemetry.web.TextLimit;
import io.ctxprop.telemetry.web.TracedProblem;
import io.ctxprop.telemetry.attributes.SeedAttributes;
import io.ctxprop.telemetry.propagation.TraceIds;
import io.opentelemetry.api.trace.Span;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The gateway's unit of work, whatever transport brought the prompt: check it, ask the model, and
 * describe both on the {@code llm_gateway_process} span (CHAIN) the caller opened: the prompt once
 * ({@code input.value}) and the answer once ({@code output.value}), as text. A failure of ours (5xx)
 * is recorded on it; bad input (4xx) is the caller's and leaves the status unset.
 */
@Component
public class LlmGatewayProcess {

    private static final Logger LOGGER = LoggerFactory.getLogger(LlmGatewayProcess.class);

    public static final String SPAN_NAME = "llm_gateway_process";

    private final CompletionService completions;
    private final ContentCapture capture;
    private final RecentRequests recent;
    private final int maxTextLength;

    LlmGatewayProcess(CompletionService completions, ContentCapture capture, RecentRequests recent,
            @Value("${gateway.max-text-length}") int maxTextLength) {
        this.completions = completions;
        this.capture = capture;
        this.recent = recent;
        this.maxTextLength = maxTextLength;
    }

    /** @param span the current {@code llm_gateway_process} span */
    public Completion process(String text, String transport, Span span) {
        return run(text, transport, span, () -> completions.complete(text));
    }

    /**
     * As {@link #process}, with the answer handed to {@code sink} piece by piece as the model writes
     * it. The span also says it was streamed, when the first piece passed ({@code first_chunk}) and
     * how many did; a cancelled stream is {@code ctxprop.stream.outcome=cancelled} and not an error.
     *
     * @throws ModelCallCancelled when {@code cancellation} was cancelled or the sink threw
     */
    public Completion stream(String text, String transport, Span span, StreamCancellation cancellation, AnswerSink sink) {
        span.setAttribute(StreamingAttributes.STREAMED, true);
        long[] chunks = {0};
        try {
            return run(text, transport, span, () -> {
                sink.begin();
                return completions.stream(text, transport, cancellation, piece -> {
                    if (chunks[0]++ == 0) {
                        span.addEvent(StreamingAttributes.FIRST_CHUNK_EVENT);
                    }
                    sink.piece(piece);
                });
            });
        } catch (ModelCallCancelled cancelled) {
            span.setAttribute(StreamingAttributes.OUTCOME, "cancelled");
            throw cancelled;
        } catch (TracedProblem problem) {
            if (problem.status() >= 500) {
                span.setAttribute(StreamingAttributes.OUTCOME, "failed");
            }
            throw problem;
        } finally {
            span.setAttribute(StreamingAttributes.CHUNKS, chunks[0]);
        }
    }

    private Completion run(String text, String transport, Span span, Supplier<Completion> model) {
        long started = System.nanoTime();
        span.setAttribute(SPAN_KIND, KIND_CHAIN);
        try {
            TextLimit.require(text, maxTextLength);
            span.setAttribute(SeedAttributes.TEXT_LENGTH, (long) text.length());
            if (capture.inputs()) {
                span.setAttribute(INPUT_VALUE, text);
                span.setAttribute(INPUT_MIME_TYPE, MIME_TEXT);
            }
            Completion completion = model.get();
            span.setAttribute(SeedAttributes.MODEL_NAME, completion.model());
            if (capture.outputs()) {
                span.setAttribute(OUTPUT_VALUE, completion.text());
                span.setAttribute(OUTPUT_MIME_TYPE, MIME_TEXT);
            }
            recent.record(transport, TraceIds.current(), text.length(), "answered", started);
            LOGGER.debug("Answered {} characters over {} with {}", text.length(), transport, completion.model());
            return completion;
        } catch (ModelCallCancelled cancelled) {
            // the caller left or asked to stop: not a failure of ours, nothing recorded as one
            recent.record(transport, TraceIds.current(), text.length(), "cancelled", started);
            throw cancelled;
        } catch (RuntimeException failure) {
            if (!(failure instanceof TracedProblem problem && problem.status() < 500)) {
                SpanRunner.markFailed(span, failure);
            }
            recent.record(transport, TraceIds.current(), text == null ? 0 : text.length(), "failed: " + failure.getMessage(), started);
            throw failure;
        }
    }
}
