package io.ctxprop.gateway.completion;

import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.util.Optional;
import tools.jackson.core.io.JsonStringEncoder;

/**
 * {@code llm.invocation_parameters}: the request's model and sampling parameters as a small JSON
 * object, written straight from the typed fields (no serialisation of the whole request, and never
 * the messages). Fields the request leaves unset are left out.
 */
final class InvocationParameters {

    private InvocationParameters() {
    }

    static String json(ChatCompletionCreateParams request, boolean stream) {
        StringBuilder json = new StringBuilder(96).append("{\"model\":\"");
        JsonStringEncoder.getInstance().quoteAsString(request.model().asString(), json);
        json.append('"');
        add(json, "temperature", request.temperature());
        add(json, "top_p", request.topP());
        add(json, "max_completion_tokens", request.maxCompletionTokens());
        add(json, "max_tokens", request.maxTokens());
        add(json, "n", request.n());
        add(json, "seed", request.seed());
        add(json, "frequency_penalty", request.frequencyPenalty());
        add(json, "presence_penalty", request.presencePenalty());
        json.append(",\"stream\":").append(stream);
        request.streamOptions().flatMap(options -> options.includeUsage())
                .ifPresent(includeUsage -> json.append(",\"stream_options\":{\"include_usage\":").append(includeUsage).append('}'));
        return json.append('}').toString();
    }

    private static void add(StringBuilder json, String name, Optional<? extends Number> value) {
        value.ifPresent(number -> json.append(",\"").append(name).append("\":").append(number));
    }
}
