package io.ctxprop.gateway.completion;

import static io.ctxprop.telemetry.attributes.TransportAttributes.TRANSPORT;

import static io.ctxprop.telemetry.attributes.GenAiAttributes.OPERATION_NAME;
import static io.ctxprop.telemetry.attributes.GenAiAttributes.REQUEST_MODEL;

import com.openai.client.OpenAIClient;
import com.openai.core.RequestOptions;
import com.openai.core.Timeout;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import io.ctxprop.telemetry.metrics.Durations;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.Iterator;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.springframework.stereotype.Service;

/**
 * Asks the model for an answer to one prompt. The one place both transports call the model; the
 * {@code chat <model>} span is a child of whatever span is current.
 */
@Service
public class CompletionService {

    static final String SYSTEM_PROMPT = "You are a helpful assistant. Answer briefly.";

    private final Supplier<OpenAIClient> client;
    private final ModelEndpoint endpoint;
    private final ModelProperties properties;
    private final DoubleHistogram timeToFirstChunk;
    private final RequestOptions streamOptions;

    CompletionService(Supplier<OpenAIClient> client, ModelEndpoint endpoint, ModelProperties properties, Meter meter) {
        this.client = client;
        this.endpoint = endpoint;
        this.properties = properties;
        this.streamOptions = RequestOptions.builder().timeout(Timeout.builder()
                .connect(properties.timeout()).write(properties.timeout()).read(properties.timeout())
                .request(properties.streamTimeout()).build()).build();
        this.timeToFirstChunk = Durations.histogram(meter, "gen_ai.client.operation.time_to_first_chunk",
                "Time from the request to the model to the first chunk of its streamed answer");
    }

    /** @throws ModelCallFailed when the model gives no usable answer within the retries */
    public Completion complete(String prompt) {
        var request = request(prompt);
        try {
            return properties.stream() ? streamed(request) : whole(request.build());
        } catch (ModelCallFailed failure) {
            throw failure;
        } catch (RuntimeException failure) {
            throw ModelCallFailed.from(failure, properties.maxRetries() + 1);
        }
    }

    /**
     * Streams the answer, whatever {@code OPENAI_STREAM} says: each piece of content goes to
     * {@code pieces} on this thread as it arrives. A stall is bounded by the read timeout
     * ({@code OPENAI_TIMEOUT} between two reads), the whole answer by {@code OPENAI_STREAM_TIMEOUT} (a
     * long answer is not cut at the deadline of a plain call): either ends as a 504. When
     * {@code pieces} throws (its reader left), the call is cancelled.
     *
     * @throws ModelCallFailed    when the model gives no whole answer
     * @throws ModelCallCancelled when {@code cancellation} was cancelled, or {@code pieces} threw
     */
    public Completion stream(String prompt, String transport, StreamCancellation cancellation, Consumer<String> pieces) {
        if (cancellation.cancelled()) {
            throw new ModelCallCancelled(null);
        }
        var request = request(prompt);
        request.streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build());
        long started = System.nanoTime();
        boolean first = true;
        StringBuilder text = new StringBuilder();
        String model = endpoint.model();
        try (Scope ignored = cancellation.storeIn(Context.current()).makeCurrent();
                StreamResponse<ChatCompletionChunk> stream = client.get().chat().completions().createStreaming(request.build(), streamOptions)) {
            Iterator<ChatCompletionChunk> chunks = stream.stream().iterator();
            while (chunks.hasNext()) {
                ChatCompletionChunk chunk = chunks.next();
                model = chunk.model();
                for (ChatCompletionChunk.Choice choice : chunk.choices()) {
                    String piece = choice.delta().content().orElse("");
                    if (piece.isEmpty()) {
                        continue;
                    }
                    if (first) {
                        first = false;
                        timeToFirstChunk.record(Durations.secondsSince(started),
                                Attributes.of(OPERATION_NAME, "chat", REQUEST_MODEL, endpoint.model(), TRANSPORT, transport));
                    }
                    text.append(piece);
                    handOver(piece, pieces, cancellation, chunks);
                }
            }
        } catch (ModelCallCancelled cancelled) {
            throw cancelled;
        } catch (RuntimeException failure) {
            if (cancellation.cancelled()) {
                throw new ModelCallCancelled(failure);
            }
            throw failure instanceof ModelCallFailed known ? known : ModelCallFailed.from(failure, properties.maxRetries() + 1);
        }
        if (cancellation.cancelled()) {
            throw new ModelCallCancelled(null); // the stream may have ended because the connection was closed
        }
        return new Completion(text.toString(), model);
    }

    /**
     * Hands a piece over; when that fails, cancels the call and reads the rest of the (now closed)
     * stream, so the LLM span learns that it ended (see {@link AnnotatedStreamResponse}).
     */
    private static void handOver(String piece, Consumer<String> pieces, StreamCancellation cancellation,
            Iterator<ChatCompletionChunk> chunks) {
        try {
            pieces.accept(piece);
        } catch (RuntimeException readerGone) {
            cancellation.cancel();
            try {
                chunks.forEachRemaining(ignored -> {
                });
            } catch (RuntimeException closed) {
                readerGone.addSuppressed(closed);
            }
            throw new ModelCallCancelled(readerGone);
        }
    }

    private ChatCompletionCreateParams.Builder request(String prompt) {
        return ChatCompletionCreateParams.builder()
                .model(endpoint.model())
                .addSystemMessage(SYSTEM_PROMPT)
                .addUserMessage(prompt);
    }

    private Completion whole(ChatCompletionCreateParams request) {
        ChatCompletion completion = client.get().chat().completions().create(request);
        var choice = completion.choices().stream().findFirst().orElseThrow(ModelCallFailed::emptyAnswer);
        return new Completion(choice.message().content().orElse(""), completion.model());
    }

    private Completion streamed(ChatCompletionCreateParams.Builder request) {
        request.streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build());
        StringBuilder text = new StringBuilder();
        String model = endpoint.model();
        try (StreamResponse<ChatCompletionChunk> stream = client.get().chat().completions().createStreaming(request.build())) {
            for (ChatCompletionChunk chunk : (Iterable<ChatCompletionChunk>) stream.stream()::iterator) {
                model = chunk.model();
                chunk.choices().forEach(choice -> choice.delta().content().ifPresent(text::append));
            }
        }
        return new Completion(text.toString(), model);
    }
}
