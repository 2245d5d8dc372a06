package io.ctxprop.gateway.completion;

import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import io.ctxprop.telemetry.metrics.Durations;
import io.ctxprop.telemetry.streaming.StreamingAttributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import com.openai.errors.OpenAIInvalidDataException;
import java.util.Set;
import java.util.Spliterator;
import java.util.TreeSet;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A stream of typed chunks that puts the answer together as the caller reads it and hands it over
 * once the last chunk has been read. The instrumentation ends its span at that same point, just
 * after us, since it reads through this stream. A stream closed early hands nothing over.
 * <p>
 * On the way it marks the LLM span: the time to the first content chunk (from the request to the
 * model) and a {@code first_chunk} event, and a read that fails (a stall past the read timeout, a
 * broken connection) as ERROR, which the instrumentation does not do for a stream. A read that fails
 * because the call was cancelled is not the model's failure: the span says {@code cancelled}. A
 * stream cut short ends its open choices with a last chunk of our own (finish reason {@code error}
 * or {@code cancelled}) before the failure is thrown, so the instrumentation can end its span.
 */
final class AnnotatedStreamResponse implements StreamResponse<ChatCompletionChunk> {

    private final StreamResponse<ChatCompletionChunk> delegate;
    private final Span span;
    private final long startedNanos;
    private final StreamCancellation cancellation;
    private final Consumer<StreamedAnswer> onEnd;

    AnnotatedStreamResponse(StreamResponse<ChatCompletionChunk> delegate, Span span, long startedNanos,
            StreamCancellation cancellation, Consumer<StreamedAnswer> onEnd) {
        this.delegate = delegate;
        this.span = span;
        this.startedNanos = startedNanos;
        this.cancellation = cancellation;
        this.onEnd = onEnd;
    }

    @Override
    public Stream<ChatCompletionChunk> stream() {
        Spliterator<ChatCompletionChunk> chunks = delegate.stream().spliterator();
        StreamedAnswer answer = new StreamedAnswer();
        return StreamSupport.stream(new Spliterators.AbstractSpliterator<ChatCompletionChunk>(Long.MAX_VALUE, Spliterator.ORDERED) {
            private boolean ended;
            private boolean firstSeen;
            private ChatCompletionChunk last;
            private final Set<Long> choices = new TreeSet<>();
            private RuntimeException failed;

            @Override
            public boolean tryAdvance(Consumer<? super ChatCompletionChunk> action) {
                if (failed != null) {
                    throw failed;
                }
                boolean advanced;
                try {
                    advanced = chunks.tryAdvance(chunk -> {
                        if (answer.add(chunk) && !firstSeen) {
                            firstSeen = true;
                            firstChunk();
                        }
                        seen(chunk);
                        action.accept(chunk);
                    });
                } catch (RuntimeException failure) {
                    String reason = readFailed(failure);
                    if (last == null || choices.isEmpty()) {
                        throw failure;
                    }
                    // The instrumentation cannot end its span for choices left without a finish reason
                    // (its attribute getter throws, and the connection is never closed): finish them first.
                    failed = failure;
                    action.accept(finishing(last, choices, reason));
                    return true;
                }
                if (!advanced && !ended) {
                    ended = true;
                    onEnd.accept(answer);
                }
                return advanced;
            }

            private void seen(ChatCompletionChunk chunk) {
                last = chunk;
                try {
                    chunk.choices().forEach(choice -> choice.finishReason().ifPresentOrElse(
                            finished -> choices.remove(choice.index()), () -> choices.add(choice.index())));
                } catch (OpenAIInvalidDataException malformed) {
                    // the caller reading it fails on it too
                }
            }
        }, false);
    }

    /** A last chunk that ends every open choice with {@code reason}, for a stream cut short. */
    static ChatCompletionChunk finishing(ChatCompletionChunk last, Set<Long> open, String reason) {
        var chunk = ChatCompletionChunk.builder().id(last.id()).created(last.created()).model(last.model());
        for (long index : open) {
            chunk.addChoice(ChatCompletionChunk.Choice.builder().index(index)
                    .delta(ChatCompletionChunk.Choice.Delta.builder().build())
                    .finishReason(ChatCompletionChunk.Choice.FinishReason.of(reason)).build());
        }
        return chunk.build();
    }

    private void firstChunk() {
        span.setAttribute(StreamingAttributes.RESPONSE_TIME_TO_FIRST_CHUNK, Durations.secondsSince(startedNanos));
        span.addEvent(StreamingAttributes.FIRST_CHUNK_EVENT);
    }

    /** @return the finish reason of a stream cut short: {@code cancelled} or {@code error} */
    private String readFailed(RuntimeException failure) {
        if (cancelled() || failure instanceof ModelCallCancelled) {
            span.setAttribute(StreamingAttributes.OUTCOME, "cancelled");
            return "cancelled";
        }
        span.recordException(failure);
        span.setStatus(StatusCode.ERROR, failure.getClass().getSimpleName());
        return "error";
    }

    private boolean cancelled() {
        return cancellation != null && cancellation.cancelled();
    }

    @Override
    public void close() {
        if (cancelled()) {
            span.setAttribute(StreamingAttributes.OUTCOME, "cancelled");
        }
        delegate.close();
    }
}
