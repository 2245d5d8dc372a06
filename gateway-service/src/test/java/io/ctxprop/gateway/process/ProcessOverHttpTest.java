package io.ctxprop.gateway.process;

import static io.ctxprop.telemetry.testing.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ctxprop.telemetry.testing.InMemoryTracing;
import io.ctxprop.telemetry.testing.SpanTexts;
import io.ctxprop.gateway.completion.ModelStub;
import io.ctxprop.gateway.completion.ModelStub.Reply;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@code POST /process} against a model server stubbed over HTTP: the trace continues from the
 * caller's headers into the LLM span and on to the model server, and every failure ends as designed.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(InMemoryTracing.class)
@ExtendWith(OutputCaptureExtension.class)
class ProcessOverHttpTest {

    static final String API_KEY = "sk-test-sentinel-0a1b2c3d";
    static final String CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String CALLER_SPAN = "00f067aa0ba902b7";
    static final String TRACEPARENT = "00-" + CALLER_TRACE + "-" + CALLER_SPAN + "-01";

    static final ModelStub MODEL = ModelStub.start();

    @DynamicPropertySource
    static void modelServer(DynamicPropertyRegistry registry) {
        registry.add("openai.base-url", MODEL::baseUrl);
        registry.add("openai.api-key", () -> API_KEY);
        registry.add("openai.timeout", () -> "1s");
        registry.add("openai.max-retries", () -> "2");
    }

    @Autowired
    ObservationRegistry observations;

    @Autowired
    InMemorySpanExporter spans;

    @Value("${local.server.port}")
    int port;

    GatewayHttpClient gateway;

    @BeforeEach
    void reset() {
        spans.reset();
        gateway = new GatewayHttpClient(port);
    }

    @AfterAll
    static void stopStub() {
        MODEL.close();
    }

    @Test
    void continuesTheCallersTraceIntoTheLlmSpanAndTheModelServer(CapturedOutput output) {
        MODEL.willReply(Reply.completion("Hello from the stub"));

        var response = gateway.post("/process", "application/json", "{\"text\":\"Say hello\"}",
                "traceparent", TRACEPARENT, "baggage", "session.id=abc,user.secret=xyz");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"response\":\"Hello from the stub\"").contains("\"model\":\"stub-model-1\"");

        SpanData server = awaitSpan("llm_gateway_process");
        SpanData chat = awaitSpan("chat gpt-4o-mini");
        assertThat(server.getKind()).isEqualTo(SpanKind.SERVER);
        assertThat(server.getTraceId()).isEqualTo(CALLER_TRACE);
        assertThat(server.getParentSpanId()).isEqualTo(CALLER_SPAN);
        assertThat(server.getAttributes().get(AttributeKey.booleanKey("context_propagated"))).isTrue();
        assertThat(attribute(server, "openinference.span.kind")).isEqualTo("CHAIN");
        assertThat(attribute(server, "input.value")).isEqualTo("Say hello");
        assertThat(attribute(server, "output.value")).isEqualTo("Hello from the stub");
        assertThat(attribute(server, "model.name")).isEqualTo("stub-model-1");
        assertThat(server.getAttributes().get(AttributeKey.longKey("http.response.status_code"))).isEqualTo(200L);

        assertThat(chat.getTraceId()).isEqualTo(CALLER_TRACE);
        assertThat(chat.getParentSpanId()).isEqualTo(server.getSpanId());
        assertThat(attribute(chat, "gen_ai.request.model")).isEqualTo("gpt-4o-mini");
        assertThat(attribute(chat, "gen_ai.response.model")).isEqualTo("stub-model-1");
        assertThat(chat.getAttributes().get(AttributeKey.longKey("gen_ai.usage.input_tokens"))).isEqualTo(11L);
        assertThat(attribute(chat, "openinference.span.kind")).isEqualTo("LLM");
        assertThat(attribute(chat, "llm.model_name")).isEqualTo("stub-model-1");
        assertThat(attribute(chat, "llm.provider")).isEqualTo("openai-compatible");
        assertThat(attribute(chat, "llm.system")).isEqualTo("openai");
        assertThat(attribute(chat, "llm.input_messages.0.message.role")).isEqualTo("system");
        assertThat(attribute(chat, "llm.input_messages.1.message.role")).isEqualTo("user");
        assertThat(attribute(chat, "llm.input_messages.1.message.content")).isEqualTo("Say hello");
        assertThat(attribute(chat, "llm.output_messages.0.message.role")).isEqualTo("assistant");
        assertThat(attribute(chat, "llm.output_messages.0.message.content")).isEqualTo("Hello from the stub");
        assertThat(chat.getAttributes().get(AttributeKey.longKey("llm.token_count.prompt"))).isEqualTo(11L);
        assertThat(chat.getAttributes().get(AttributeKey.longKey("llm.token_count.completion"))).isEqualTo(7L);
        assertThat(chat.getAttributes().get(AttributeKey.longKey("llm.token_count.total"))).isEqualTo(18L);
        assertThat(attribute(chat, "llm.invocation_parameters")).isEqualTo("{\"model\":\"gpt-4o-mini\",\"stream\":false}");
        assertThat(chat.getAttributes().asMap().keySet()).map(AttributeKey::getKey).as("the messages are the LLM span's one copy")
                .doesNotContain("input.value", "output.value", "input.mime_type", "output.mime_type");
        assertThat(server.getAttributes().asMap().keySet()).map(AttributeKey::getKey).as("input.value and output.value are the CHAIN span's one copy")
                .doesNotContain("input.text", "output.response");
        assertThat(attribute(server, "input.mime_type")).isEqualTo("text/plain");
        assertThat(attribute(server, "output.mime_type")).isEqualTo("text/plain");
        assertThat(List.of(server, chat)).allSatisfy(span -> {
            assertThat(SpanTexts.countContaining(span, "Say hello")).as("the prompt on %s", span.getName()).isEqualTo(1);
            assertThat(SpanTexts.countContaining(span, "Hello from the stub")).as("the answer on %s", span.getName()).isEqualTo(1);
        });

        var atModel = MODEL.requests().getFirst();
        assertThat(atModel.path()).isEqualTo("/v1/chat/completions");
        assertThat(atModel.header("traceparent")).startsWith("00-" + CALLER_TRACE + "-" + chat.getSpanId());
        assertThat(atModel.header("baggage")).as("baggage never reaches the model server").isNull();
        assertThat(atModel.header("Authorization")).isEqualTo("Bearer " + API_KEY);

        assertThat(attribute(server, "session.id")).as("the allow-listed baggage entry").isEqualTo("abc");
        assertThat(attribute(chat, "session.id")).isEqualTo("abc");
        assertThat(spans.getFinishedSpanItems()).allSatisfy(span -> {
            assertThat(span.getAttributes().asMap().values().toString()).doesNotContain(API_KEY).doesNotContain("xyz");
            assertThat(span.getAttributes().asMap().keySet().toString()).doesNotContain("user.secret");
        });
        assertThat(output.getAll()).doesNotContain(API_KEY);
    }

    @Test
    void withoutTraceContextTheGatewayStartsANewTraceAndSaysSo() {
        MODEL.willReply(Reply.completion("fresh"));

        var response = gateway.post("/process", "application/json", "{\"text\":\"no context\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        SpanData server = awaitSpan("llm_gateway_process");
        assertThat(server.getParentSpanContext().isValid()).isFalse();
        assertThat(server.getTraceId()).isNotEqualTo(CALLER_TRACE);
        assertThat(server.getAttributes().get(AttributeKey.booleanKey("context_propagated"))).isFalse();
    }

    @Test
    void retriesA429ThenAnswers() {
        MODEL.willReply(Reply.error(429).withHeader("Retry-After", "0"), Reply.completion("after the rate limit"));

        var response = gateway.post("/process", "application/json", "{\"text\":\"busy?\"}", "traceparent", TRACEPARENT);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("after the rate limit");
        assertThat(MODEL.requests()).hasSize(2);
        assertThat(awaitSpan("chat gpt-4o-mini").getStatus().getStatusCode()).isNotEqualTo(StatusCode.ERROR);
    }

    @Test
    void a500UntilRetriesRunOutIsA502WithTheTraceIdAndAnErrorSpan() {
        MODEL.willReply(Reply.error(500));

        var response = gateway.post("/process", "application/json", "{\"text\":\"fail\"}", "traceparent", TRACEPARENT);

        assertProblem(response, 502, "Model error");
        assertThat(response.body()).contains("HTTP 500 after 3 attempt(s)");
        assertThat(MODEL.requests()).hasSize(3);
        SpanData chat = awaitSpan("chat gpt-4o-mini");
        assertThat(chat.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        SpanData server = awaitSpan("llm_gateway_process");
        assertThat(server.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(server.getEvents()).anySatisfy(event -> assertThat(event.getName()).isEqualTo("exception"));
    }

    @Test
    void aModelThatNeverAnswersInTimeIsA504() {
        MODEL.willReply(Reply.completion("too late").after(Duration.ofSeconds(5)));

        var response = gateway.post("/process", "application/json", "{\"text\":\"slow\"}", "traceparent", TRACEPARENT);

        assertProblem(response, 504, "Model timeout");
        assertThat(MODEL.requests()).hasSize(3);
        assertThat(awaitSpan("llm_gateway_process").getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    }

    @Test
    void aMalformedModelAnswerIsA502() {
        MODEL.willReply(Reply.json(200, "{\"choices\": \"not a list\""));

        var response = gateway.post("/process", "application/json", "{\"text\":\"garbled\"}", "traceparent", TRACEPARENT);

        assertProblem(response, 502, "Malformed model answer");
        assertThat(awaitSpan("llm_gateway_process").getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    }

    @Test
    void badInputGetsTheDocumentedProblemNeverA500() {
        MODEL.willReply(Reply.completion("unused"));

        assertProblem(gateway.post("/process", "application/json", "{\"text\":\"   \"}", "traceparent", TRACEPARENT), 400, "Empty text");
        assertProblem(gateway.post("/process", "application/json", "{}"), 400, "Empty text");
        assertProblem(gateway.post("/process", "application/json", "{\"text\":\"" + "x".repeat(8001) + "\"}"), 413, "Text too large");
        assertProblem(gateway.post("/process", "application/json", "{\"text\": nope"), 400, "Bad Request");
        assertProblem(gateway.post("/process", "application/json", "[1,2]"), 400, "Bad Request");
        for (String notAString : new String[] {"5", "4.2", "false"}) {
            var response = gateway.post("/process", "application/json", "{\"text\": " + notAString + "}");
            assertProblem(response, 400, "Bad Request");
            assertThat(response.body()).as("the prompt is a JSON string, never " + notAString + " made one")
                    .contains("\\\"text\\\" must be a JSON string");
        }
        assertProblem(gateway.post("/process", "text/plain", "hello"), 415, "Unsupported Media Type");
        assertThat(gateway.post("/process", "application/json", "{\"text\":\"hi\"}", "traceparent", "not-a-traceparent").statusCode()).isEqualTo(200);
        assertThat(MODEL.requests()).hasSize(1);
    }


    private SpanData awaitSpan(String name) {
        return await().atMost(Duration.ofSeconds(10)).until(() -> spans.getFinishedSpanItems().stream()
                .filter(span -> span.getName().equals(name)).findFirst(), java.util.Optional::isPresent).orElseThrow();
    }

    private static String attribute(SpanData span, String key) {
        return span.getAttributes().get(AttributeKey.stringKey(key));
    }

    @Test
    void bootsOwnHttpObservationsAreOffBesideTheProjectsServerSpans() {
        assertThat(Observation.createNotStarted("http.server.requests", observations).isNoop()).isTrue();
        assertThat(Observation.createNotStarted("http.client.requests", observations).isNoop()).isTrue();
        assertThat(Observation.createNotStarted("another.observation", observations).isNoop()).isFalse();
    }
}
