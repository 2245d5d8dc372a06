package io.ctxprop.gateway.completion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ctxprop.telemetry.testing.InMemoryTracing;
import io.ctxprop.telemetry.testing.SpanTexts;
import io.ctxprop.gateway.completion.ModelStub.Reply;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** With {@code openai.stream=true} the answer arrives as server-sent events and the LLM span still gets all of it. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "openai.stream=true")
@Import(InMemoryTracing.class)
class StreamedAnswerTest {

    static final ModelStub MODEL = ModelStub.start();

    @DynamicPropertySource
    static void modelServer(DynamicPropertyRegistry registry) {
        registry.add("openai.base-url", MODEL::baseUrl);
        registry.add("openai.api-key", () -> "sk-stream-test");
    }

    @Autowired
    CompletionService completions;

    @Autowired
    Tracer tracer;

    @Autowired
    InMemorySpanExporter spans;

    @AfterAll
    static void stopStub() {
        MODEL.close();
    }

    @Test
    void assemblesAStreamedAnswerAndAnnotatesTheLlmSpan() {
        MODEL.willReply(Reply.streamed("Streams ", "arrive ", "in pieces"));

        Span parent = tracer.spanBuilder("caller").startSpan();
        Completion completion;
        try (Scope ignored = parent.makeCurrent()) {
            completion = completions.complete("stream please");
        } finally {
            parent.end();
        }

        assertThat(completion.text()).isEqualTo("Streams arrive in pieces");
        assertThat(completion.model()).isEqualTo("stub-model-1");
        assertThat(MODEL.requests().getFirst().body()).contains("\"stream\":true").contains("include_usage");
        SpanData chat = await().atMost(Duration.ofSeconds(10)).until(() -> spans.getFinishedSpanItems().stream()
                .filter(span -> span.getName().startsWith("chat ")).findFirst(), java.util.Optional::isPresent).orElseThrow();
        assertThat(chat.getParentSpanId()).isEqualTo(parent.getSpanContext().getSpanId());
        assertThat(chat.getAttributes().get(AttributeKey.stringKey("llm.output_messages.0.message.content"))).isEqualTo("Streams arrive in pieces");
        assertThat(chat.getAttributes().get(AttributeKey.stringKey("llm.output_messages.0.message.role"))).isEqualTo("assistant");
        assertThat(chat.getAttributes().get(AttributeKey.stringKey("llm.input_messages.1.message.content"))).isEqualTo("stream please");
        assertThat(chat.getAttributes().get(AttributeKey.stringKey("llm.invocation_parameters")))
                .isEqualTo("{\"model\":\"gpt-4o-mini\",\"stream\":true,\"stream_options\":{\"include_usage\":true}}");
        assertThat(chat.getAttributes().get(AttributeKey.stringKey("output.value"))).as("the message is the one copy").isNull();
        assertThat(SpanTexts.countContaining(chat, "Streams arrive in pieces")).isEqualTo(1);
        assertThat(chat.getAttributes().get(AttributeKey.longKey("llm.token_count.completion"))).isEqualTo(3L);
        assertThat(chat.getAttributes().get(AttributeKey.stringKey("llm.model_name"))).isEqualTo("stub-model-1");
    }
}
