package io.ctxprop.gateway.completion;

import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A stream of typed chunks that puts the answer together as the caller reads it and hands it over
 * once the last chunk has been read. The instrumentation ends its span at that same point, just
 * after us, since it reads through this stream. A stream closed early hands nothing over.
 */
final class AnnotatedStreamResponse implements StreamResponse<ChatCompletionChunk> {

    private final StreamResponse<ChatCompletionChunk> delegate;
    private final Consumer<StreamedAnswer> onEnd;

    AnnotatedStreamResponse(StreamResponse<ChatCompletionChunk> delegate, Consumer<StreamedAnswer> onEnd) {
        this.delegate = delegate;
        this.onEnd = onEnd;
    }

    @Override
    public Stream<ChatCompletionChunk> stream() {
        Spliterator<ChatCompletionChunk> chunks = delegate.stream().spliterator();
        StreamedAnswer answer = new StreamedAnswer();
        return StreamSupport.stream(new Spliterators.AbstractSpliterator<ChatCompletionChunk>(Long.MAX_VALUE, Spliterator.ORDERED) {
            private boolean ended;

            @Override
            public boolean tryAdvance(Consumer<? super ChatCompletionChunk> action) {
                boolean advanced = chunks.tryAdvance(chunk -> {
                    answer.add(chunk);
                    action.accept(chunk);
                });
                if (!advanced && !ended) {
                    ended = true;
                    onEnd.accept(answer);
                }
                return advanced;
            }
        }, false);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
