package io.ctxprop.gateway.completion;

import static io.ctxprop.telemetry.attributes.OpenInferenceAttributes.*;

import com.openai.errors.OpenAIInvalidDataException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageParam;
import com.openai.models.completions.CompletionUsage;
import io.ctxprop.telemetry.ContentCapture;
import io.opentelemetry.api.trace.Span;
import java.util.List;
import java.util.Optional;

/**
 * Writes the OpenInference attributes Phoenix and Arize render for an LLM span from openai-java's
 * typed request and answer. The prompt and the answer are each written once: as the messages
 * ({@code llm.input_messages.*}, {@code llm.output_messages.*}), which is what Phoenix shows for an
 * LLM span; {@code input.value} / {@code output.value} are the parent CHAIN span's. Message content
 * obeys {@link ContentCapture}; roles go with it, model, parameters and token counts always stay.
 */
final class OpenInferenceAnnotator {

    static final String ASSISTANT = "assistant";

    private final ContentCapture capture;
    private final String provider;

    OpenInferenceAnnotator(ContentCapture capture, String provider) {
        this.capture = capture;
        this.provider = provider;
    }

    void annotateRequest(Span span, ChatCompletionCreateParams request, boolean stream) {
        span.setAttribute(SPAN_KIND, KIND_LLM);
        span.setAttribute(LLM_PROVIDER, provider);
        span.setAttribute(LLM_SYSTEM, "openai");
        span.setAttribute(LLM_MODEL_NAME, request.model().asString());
        span.setAttribute(LLM_INVOCATION_PARAMETERS, InvocationParameters.json(request, stream));
        if (capture.inputs()) {
            List<ChatCompletionMessageParam> messages = request.messages();
            for (int index = 0; index < messages.size(); index++) {
                span.setAttribute(inputMessageRole(index), PromptMessages.role(messages.get(index)));
                span.setAttribute(inputMessageContent(index), PromptMessages.content(messages.get(index)));
            }
        }
    }

    /**
     * A whole answer. One that does not match openai-java's types (a malformed answer) is left off
     * the span: the caller reading it fails, and says so.
     */
    void annotateAnswer(Span span, ChatCompletion answer) {
        List<String> contents;
        String model;
        Optional<CompletionUsage> usage;
        try {
            contents = answer.choices().stream().map(choice -> choice.message().content().orElse("")).toList();
            model = answer.model();
            usage = answer.usage();
        } catch (OpenAIInvalidDataException malformed) {
            return;
        }
        annotateAnswer(span, model, contents, usage);
    }

    void annotateAnswer(Span span, StreamedAnswer answer) {
        if (answer.readable()) {
            annotateAnswer(span, answer.model(), answer.contents(), answer.usage());
        }
    }

    private void annotateAnswer(Span span, String model, List<String> contents, Optional<CompletionUsage> usage) {
        if (!model.isEmpty()) {
            span.setAttribute(LLM_MODEL_NAME, model);
        }
        usage.ifPresent(tokens -> {
            span.setAttribute(LLM_TOKEN_COUNT_PROMPT, tokens.promptTokens());
            span.setAttribute(LLM_TOKEN_COUNT_COMPLETION, tokens.completionTokens());
            span.setAttribute(LLM_TOKEN_COUNT_TOTAL, tokens.totalTokens());
        });
        if (capture.outputs()) {
            for (int index = 0; index < contents.size(); index++) {
                span.setAttribute(outputMessageRole(index), ASSISTANT);
                span.setAttribute(outputMessageContent(index), contents.get(index));
            }
        }
    }
}
