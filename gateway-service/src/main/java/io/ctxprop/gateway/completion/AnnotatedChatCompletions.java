package io.ctxprop.gateway.completion;

import com.openai.core.ClientOptions;
import com.openai.core.RequestOptions;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionDeleteParams;
import com.openai.models.chat.completions.ChatCompletionDeleted;
import com.openai.models.chat.completions.ChatCompletionListPage;
import com.openai.models.chat.completions.ChatCompletionListParams;
import com.openai.models.chat.completions.ChatCompletionRetrieveParams;
import com.openai.models.chat.completions.ChatCompletionUpdateParams;
import com.openai.services.blocking.chat.ChatCompletionService;
import io.opentelemetry.api.trace.Span;
import java.util.function.Consumer;

/**
 * openai-java's chat-completions service with the OpenInference attributes added from the typed
 * request and answer. It sits inside the openai-java instrumentation's wrap, so the current span
 * while {@code create} / {@code createStreaming} run is the instrumentation's {@code chat <model>}
 * span. A streamed answer is annotated when its last chunk has been read, before the
 * instrumentation ends the span, and its first content chunk is marked on the span
 * ({@link AnnotatedStreamResponse}). The other operations (and raw responses) pass through.
 */
final class AnnotatedChatCompletions implements ChatCompletionService {

    private final ChatCompletionService delegate;
    private final OpenInferenceAnnotator annotator;

    AnnotatedChatCompletions(ChatCompletionService delegate, OpenInferenceAnnotator annotator) {
        this.delegate = delegate;
        this.annotator = annotator;
    }

    @Override
    public ChatCompletion create(ChatCompletionCreateParams params, RequestOptions options) {
        Span span = Span.current();
        if (!span.isRecording()) {
            return delegate.create(params, options);
        }
        annotator.annotateRequest(span, params, false);
        ChatCompletion answer = delegate.create(params, options);
        annotator.annotateAnswer(span, answer);
        return answer;
    }

    @Override
    public StreamResponse<ChatCompletionChunk> createStreaming(ChatCompletionCreateParams params, RequestOptions options) {
        Span span = Span.current();
        if (!span.isRecording()) {
            return delegate.createStreaming(params, options);
        }
        annotator.annotateRequest(span, params, true);
        long started = System.nanoTime();
        return new AnnotatedStreamResponse(delegate.createStreaming(params, options), span, started, StreamCancellation.current(),
                answer -> annotator.annotateAnswer(span, answer));
    }

    @Override
    public ChatCompletionService withOptions(Consumer<ClientOptions.Builder> modifier) {
        return new AnnotatedChatCompletions(delegate.withOptions(modifier), annotator);
    }

    @Override
    public WithRawResponse withRawResponse() {
        return delegate.withRawResponse();
    }

    @Override
    public ChatCompletion retrieve(ChatCompletionRetrieveParams params, RequestOptions options) {
        return delegate.retrieve(params, options);
    }

    @Override
    public ChatCompletion update(ChatCompletionUpdateParams params, RequestOptions options) {
        return delegate.update(params, options);
    }

    @Override
    public ChatCompletionListPage list(ChatCompletionListParams params, RequestOptions options) {
        return delegate.list(params, options);
    }

    @Override
    public ChatCompletionDeleted delete(ChatCompletionDeleteParams params, RequestOptions options) {
        return delegate.delete(params, options);
    }
}
