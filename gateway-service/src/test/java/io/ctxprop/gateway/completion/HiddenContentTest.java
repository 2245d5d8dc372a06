package io.ctxprop.gateway.completion;

import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.assertThat;
import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.equalTo;
import static org.awaitility.Awaitility.await;

import io.ctxprop.gateway.completion.ModelStub.Reply;
import io.ctxprop.telemetry.testing.InMemoryTracing;
import io.ctxprop.telemetry.testing.SpanTexts;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.assertj.TracesAssert;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * OPENINFERENCE_HIDE_INPUTS / _OUTPUTS keep prompts and answers off every span of the gateway, on
 * success and on the error paths, including a model server whose messages quote the prompt;
 * lengths and token counts stay.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"openinference.hide-inputs=true", "openinference.hide-outputs=true", "openai.max-retries=0"})
@Import(InMemoryTracing.class)
class HiddenContentTest {

    static final String PROMPT = "a private prompt about my diagnosis";
    static final String ANSWER = "a private answer about your diagnosis";
    static final ModelStub MODEL = ModelStub.start();

    static final AttributeKey<String> INPUT_VALUE = AttributeKey.stringKey("input.value");
    static final AttributeKey<String> OUTPUT_VALUE = AttributeKey.stringKey("output.value");
    static final AttributeKey<String> INPUT_TEXT = AttributeKey.stringKey("input.text");
    static final AttributeKey<String> OUTPUT_RESPONSE = AttributeKey.stringKey("output.response");
    static final AttributeKey<Long> TEXT_LENGTH = AttributeKey.longKey("text.length");

    @DynamicPropertySource
    static void modelServer(DynamicPropertyRegistry registry) {
        registry.add("openai.base-url", MODEL::baseUrl);
        registry.add("openai.api-key", () -> "sk-test");
    }

    @Autowired
    CompletionService completions;

    @Autowired
    Tracer tracer;

    @Autowired
    InMemorySpanExporter spans;

    @Value("${local.server.port}")
    int port;

    @BeforeEach
    void reset() {
        spans.reset();
    }

    @AfterAll
    static void stopStub() {
        MODEL.close();
    }

    @Test
    void noPromptOrAnswerOnTheLlmSpan() {
        MODEL.willReply(Reply.completion(ANSWER));
        Span parent = tracer.spanBuilder("caller").startSpan();
        try (Scope ignored = parent.makeCurrent()) {
            completions.complete(PROMPT);
        } finally {
            parent.end();
        }

        SpanData chat = awaitSpans(2).stream().filter(span -> span.getName().startsWith("chat ")).findFirst().orElseThrow();
        assertThat(chat).hasAttributesSatisfying(
                equalTo(AttributeKey.longKey("llm.token_count.total"), 18L),
                equalTo(AttributeKey.stringKey("llm.model_name"), "stub-model-1"));
        assertThat(chat.getAttributes().asMap().keySet()).map(AttributeKey::getKey)
                .doesNotContain("input.value", "output.value")
                .noneMatch(key -> key.startsWith("llm.input_messages.") || key.startsWith("llm.output_messages."));
        assertThat(chat.getAttributes().get(AttributeKey.stringKey("llm.invocation_parameters"))).isEqualTo(
                "{\"model\":\"gpt-4o-mini\",\"stream\":false}");
        SpanTexts.assertNoneContain(List.of(chat), PROMPT, ANSWER, CompletionService.SYSTEM_PROMPT);
    }

    @Test
    void anAnswerOverHttpKeepsOnlyItsLengthsAndTokenCounts() throws Exception {
        MODEL.willReply(Reply.completion(ANSWER));

        var response = process(PROMPT);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains(ANSWER);
        List<SpanData> trace = awaitSpans(2);
        TracesAssert.assertThat(trace).hasTracesSatisfyingExactly(traceAssert -> traceAssert.hasSpansSatisfyingExactlyInAnyOrder(
                server -> server.hasName("llm_gateway_process").hasKind(SpanKind.SERVER)
                        .hasAttribute(TEXT_LENGTH, (long) PROMPT.length())
                        .hasAttribute(AttributeKey.stringKey("model.name"), "stub-model-1")
                        .hasAttributesSatisfying(attributes -> assertThat(List.of(INPUT_VALUE, OUTPUT_VALUE, INPUT_TEXT, OUTPUT_RESPONSE))
                                .allSatisfy(key -> assertThat(attributes.get(key)).as(key.getKey()).isNull())),
                chat -> chat.hasName("chat gpt-4o-mini").hasParent(trace.stream()
                                .filter(span -> span.getName().equals("llm_gateway_process")).findFirst().orElseThrow())
                        .hasAttribute(AttributeKey.longKey("llm.token_count.prompt"), 11L)
                        .hasAttribute(AttributeKey.longKey("llm.token_count.completion"), 7L)));
        SpanTexts.assertNoneContain(trace, PROMPT, ANSWER);
    }

    @Test
    void aModelServerErrorThatQuotesThePromptStaysOffTheSpans() throws Exception {
        MODEL.willReply(Reply.json(400, """
                {"error":{"message":"Invalid content in messages[1]: '%s'","type":"invalid_request_error","code":"invalid_prompt"}}"""
                .formatted(PROMPT)));

        var response = process(PROMPT);

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body()).contains("HTTP 400");
        List<SpanData> trace = awaitSpans(2);
        assertThat(trace).allSatisfy(span -> assertThat(span)
                .hasStatusSatisfying(status -> status.hasCode(StatusCode.ERROR))
                .hasEventsSatisfying(events -> assertThat(events).anySatisfy(event -> assertThat(event).hasName("exception"))));
        assertThat(named(trace, "llm_gateway_process").getEvents()).anySatisfy(event -> assertThat(event)
                .hasAttributesSatisfying(attributes -> assertThat(attributes.get(AttributeKey.stringKey("exception.stacktrace")))
                        .contains("ModelCallFailed: The model server answered HTTP 400")
                        .contains("Caused by: com.openai.errors.BadRequestException")));
        SpanTexts.assertNoneContain(trace, PROMPT);
    }

    @Test
    void aMalformedAnswerThatQuotesThePromptStaysOffTheSpans() throws Exception {
        MODEL.willReply(Reply.json(200, """
                {"id":"chatcmpl-stub","object":"chat.completion","created":1700000000,"model":"stub-model-1",
                 "choices":"you asked: %s"}""".formatted(PROMPT)));

        var response = process(PROMPT);

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body()).contains("Malformed model answer");
        List<SpanData> trace = awaitSpans(2);
        assertThat(named(trace, "llm_gateway_process")).hasStatusSatisfying(status -> status.hasCode(StatusCode.ERROR));
        SpanTexts.assertNoneContain(trace, PROMPT);
    }

    private HttpResponse<String> process(String text) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/process"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"" + text + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
    }

    private List<SpanData> awaitSpans(int count) {
        return await().atMost(Duration.ofSeconds(10)).until(spans::getFinishedSpanItems, finished -> finished.size() >= count);
    }

    private static SpanData named(List<SpanData> trace, String name) {
        return trace.stream().filter(span -> span.getName().equals(name)).findFirst().orElseThrow();
    }
}
