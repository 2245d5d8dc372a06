package io.ctxprop.gateway.completion;

import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
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

    CompletionService(Supplier<OpenAIClient> client, ModelEndpoint endpoint, ModelProperties properties) {
        this.client = client;
        this.endpoint = endpoint;
        this.properties = properties;
    }

    /** @throws ModelCallFailed when the model gives no usable answer within the retries */
    public Completion complete(String prompt) {
        var request = ChatCompletionCreateParams.builder()
                .model(endpoint.model())
                .addSystemMessage(SYSTEM_PROMPT)
                .addUserMessage(prompt);
        try {
            return properties.stream() ? streamed(request) : whole(request.build());
        } catch (ModelCallFailed failure) {
            throw failure;
        } catch (RuntimeException failure) {
            throw ModelCallFailed.from(failure, properties.maxRetries() + 1);
        }
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
