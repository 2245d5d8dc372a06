package io.ctxprop.gateway.completion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ctxprop.telemetry.testing.InMemoryTracing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

/** OPENINFERENCE_HIDE_INPUTS / _OUTPUTS keep prompts and answers off the spans; counts stay. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"openai.api-key=", "openinference.hide-inputs=true", "openinference.hide-outputs=true"})
@Import(InMemoryTracing.class)
class HiddenContentTest {

    @Autowired
    CompletionService completions;

    @Autowired
    Tracer tracer;

    @Autowired
    InMemorySpanExporter spans;

    @Test
    void noPromptOrAnswerOnTheLlmSpan() {
        Span parent = tracer.spanBuilder("caller").startSpan();
        try (Scope ignored = parent.makeCurrent()) {
            completions.complete("a private prompt");
        } finally {
            parent.end();
        }

        var chat = await().atMost(Duration.ofSeconds(10)).until(() -> spans.getFinishedSpanItems().stream()
                .filter(span -> span.getName().startsWith("chat ")).findFirst(), java.util.Optional::isPresent).orElseThrow();
        assertThat(chat.getAttributes().asMap().keySet()).map(AttributeKey::getKey)
                .contains("llm.token_count.total", "llm.model_name")
                .doesNotContain("input.value", "output.value", "llm.input_messages.1.message.content",
                        "llm.output_messages.0.message.content");
        assertThat(chat.getAttributes().asMap().values().toString()).doesNotContain("a private prompt");
    }
}
