package io.ctxprop.gateway.completion;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.core.ObjectMappers;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionContentPart;
import com.openai.models.chat.completions.ChatCompletionContentPartText;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import io.ctxprop.telemetry.ContentCapture;
import io.ctxprop.telemetry.testing.SpanTexts;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The OpenInference attributes written from openai-java's typed request and answer: exactly these
 * keys and values, each prompt and answer once, and none of either while hidden.
 */
class OpenInferenceAnnotatorTest {

    static final String PROMPT = "a prompt about my diagnosis";
    static final String ANSWER = "an answer about your diagnosis";
    static final ContentCapture SHOWN = new ContentCapture(false, false);

    static final ChatCompletionCreateParams REQUEST = ChatCompletionCreateParams.builder()
            .model("gpt-4o-mini").temperature(0.2).maxCompletionTokens(64)
            .addSystemMessage("Answer briefly.").addUserMessage(PROMPT).build();

    final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    final SdkTracerProvider tracing = SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();

    @Test
    void aWholeExchangeIsTheLlmSpansMessagesParametersAndTokenCounts() {
        SpanData span = annotated(SHOWN, (annotator, chat) -> {
            annotator.annotateRequest(chat, REQUEST, false);
            annotator.annotateAnswer(chat, completion(ANSWER));
        });

        assertThat(strings(span)).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                Map.entry("openinference.span.kind", "LLM"),
                Map.entry("llm.provider", "openai-compatible"),
                Map.entry("llm.system", "openai"),
                Map.entry("llm.model_name", "stub-model-1"),
                Map.entry("llm.invocation_parameters",
                        "{\"model\":\"gpt-4o-mini\",\"temperature\":0.2,\"max_completion_tokens\":64,\"stream\":false}"),
                Map.entry("llm.input_messages.0.message.role", "system"),
                Map.entry("llm.input_messages.0.message.content", "Answer briefly."),
                Map.entry("llm.input_messages.1.message.role", "user"),
                Map.entry("llm.input_messages.1.message.content", PROMPT),
                Map.entry("llm.output_messages.0.message.role", "assistant"),
                Map.entry("llm.output_messages.0.message.content", ANSWER)));
        assertThat(span.getAttributes().get(AttributeKey.longKey("llm.token_count.prompt"))).isEqualTo(11L);
        assertThat(span.getAttributes().get(AttributeKey.longKey("llm.token_count.completion"))).isEqualTo(7L);
        assertThat(span.getAttributes().get(AttributeKey.longKey("llm.token_count.total"))).isEqualTo(18L);
        assertThat(SpanTexts.of(span)).as("the prompt once, the answer once")
                .filteredOn(text -> text.contains(PROMPT)).hasSize(1);
        assertThat(SpanTexts.of(span)).filteredOn(text -> text.contains(ANSWER)).hasSize(1);
    }

    @Test
    void aStreamedAnswerIsPutTogetherFromItsChunks() {
        var streamed = REQUEST.toBuilder().streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
        SpanData span = annotated(SHOWN, (annotator, chat) -> {
            annotator.annotateRequest(chat, streamed, true);
            StreamedAnswer answer = new StreamedAnswer();
            List.of(chunk(0, "an answer "), chunk(0, "about your "), chunk(1, "another"), chunk(0, "diagnosis"), usageChunk())
                    .forEach(answer::add);
            annotator.annotateAnswer(chat, answer);
        });

        assertThat(strings(span)).containsEntry("llm.output_messages.0.message.content", ANSWER)
                .containsEntry("llm.output_messages.1.message.content", "another")
                .containsEntry("llm.model_name", "stub-model-2")
                .containsEntry("llm.invocation_parameters", "{\"model\":\"gpt-4o-mini\",\"temperature\":0.2,"
                        + "\"max_completion_tokens\":64,\"stream\":true,\"stream_options\":{\"include_usage\":true}}")
                .doesNotContainKeys("input.value", "output.value", "input.mime_type", "output.mime_type");
        assertThat(span.getAttributes().get(AttributeKey.longKey("llm.token_count.completion"))).isEqualTo(3L);
    }

    @Test
    void hiddenInputsAndOutputsLeaveOnlyModelParametersAndTokenCounts() {
        SpanData span = annotated(new ContentCapture(true, true), (annotator, chat) -> {
            annotator.annotateRequest(chat, REQUEST, false);
            annotator.annotateAnswer(chat, completion(ANSWER));
            StreamedAnswer streamed = new StreamedAnswer();
            streamed.add(chunk(0, ANSWER));
            annotator.annotateAnswer(chat, streamed);
        });

        assertThat(strings(span).keySet()).containsExactlyInAnyOrder("openinference.span.kind", "llm.provider", "llm.system",
                "llm.model_name", "llm.invocation_parameters");
        assertThat(span.getAttributes().get(AttributeKey.longKey("llm.token_count.total"))).isEqualTo(18L);
        SpanTexts.assertNoneContain(List.of(span), PROMPT, ANSWER, "Answer briefly.");
    }

    @Test
    void hiddenOutputsKeepThePromptAndHiddenInputsKeepTheAnswer() {
        SpanData inputsOnly = annotated(new ContentCapture(false, true), (annotator, chat) -> {
            annotator.annotateRequest(chat, REQUEST, false);
            annotator.annotateAnswer(chat, completion(ANSWER));
        });
        SpanData outputsOnly = annotated(new ContentCapture(true, false), (annotator, chat) -> {
            annotator.annotateRequest(chat, REQUEST, false);
            annotator.annotateAnswer(chat, completion(ANSWER));
        });

        assertThat(strings(inputsOnly)).containsEntry("llm.input_messages.1.message.content", PROMPT);
        SpanTexts.assertNoneContain(List.of(inputsOnly), ANSWER);
        assertThat(strings(outputsOnly)).containsEntry("llm.output_messages.0.message.content", ANSWER);
        SpanTexts.assertNoneContain(List.of(outputsOnly), PROMPT, "Answer briefly.");
    }

    @Test
    void aMalformedAnswerIsLeftOffTheSpanWithoutFailingTheCall() {
        ChatCompletion malformed = parse("""
                {"id":"c","object":"chat.completion","created":1,"model":"stub-model-1","choices":"you asked: %s"}"""
                .formatted(PROMPT), ChatCompletion.class);
        StreamedAnswer malformedStream = new StreamedAnswer();
        malformedStream.add(parse("{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"choices\":7}", ChatCompletionChunk.class));
        malformedStream.add(chunk(0, ANSWER));

        SpanData span = annotated(SHOWN, (annotator, chat) -> {
            annotator.annotateAnswer(chat, malformed);
            annotator.annotateAnswer(chat, malformedStream);
        });

        assertThat(malformedStream.readable()).isFalse();
        assertThat(span.getAttributes().isEmpty()).isTrue();
    }

    @Test
    void textPartsAreJoinedAndTheModelNameIsEscaped() {
        var request = ChatCompletionCreateParams.builder().model("my \"quoted\" model")
                .addUserMessageOfArrayOfContentParts(List.of(
                        ChatCompletionContentPart.ofText(ChatCompletionContentPartText.builder().text("first ").build()),
                        ChatCompletionContentPart.ofText(ChatCompletionContentPartText.builder().text("second").build())))
                .build();

        SpanData span = annotated(SHOWN, (annotator, chat) -> annotator.annotateRequest(chat, request, false));

        assertThat(strings(span)).containsEntry("llm.input_messages.0.message.content", "first second")
                .containsEntry("llm.invocation_parameters", "{\"model\":\"my \\\"quoted\\\" model\",\"stream\":false}");
    }

    private interface Annotation {
        void on(OpenInferenceAnnotator annotator, Span span);
    }

    private SpanData annotated(ContentCapture capture, Annotation annotation) {
        Span span = tracing.get("test").spanBuilder("chat gpt-4o-mini").startSpan();
        annotation.on(new OpenInferenceAnnotator(capture, "openai-compatible"), span);
        span.end();
        return exporter.getFinishedSpanItems().getLast();
    }

    private static Map<String, String> strings(SpanData span) {
        return span.getAttributes().asMap().entrySet().stream()
                .filter(entry -> entry.getValue() instanceof String)
                .collect(Collectors.toMap(entry -> entry.getKey().getKey(), entry -> (String) entry.getValue()));
    }

    static ChatCompletion completion(String text) {
        return parse("""
                {"id":"chatcmpl-stub","object":"chat.completion","created":1700000000,"model":"stub-model-1",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"%s"},"finish_reason":"stop","logprobs":null}],
                 "usage":{"prompt_tokens":11,"completion_tokens":7,"total_tokens":18}}""".formatted(text), ChatCompletion.class);
    }

    static ChatCompletionChunk chunk(int choice, String piece) {
        return parse("""
                {"id":"c1","object":"chat.completion.chunk","created":1700000000,"model":"stub-model-2",
                 "choices":[{"index":%d,"delta":{"content":"%s"},"finish_reason":null}]}""".formatted(choice, piece),
                ChatCompletionChunk.class);
    }

    static ChatCompletionChunk usageChunk() {
        return parse("""
                {"id":"c1","object":"chat.completion.chunk","created":1700000000,"model":"stub-model-2","choices":[],
                 "usage":{"prompt_tokens":11,"completion_tokens":3,"total_tokens":14}}""", ChatCompletionChunk.class);
    }

    private static <T> T parse(String json, Class<T> type) {
        try {
            return ObjectMappers.jsonMapper().readValue(json, type);
        } catch (Exception failure) {
            throw new IllegalArgumentException(failure);
        }
    }
}
