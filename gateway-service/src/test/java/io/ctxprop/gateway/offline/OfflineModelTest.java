package io.ctxprop.gateway.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ctxprop.telemetry.streaming.EventStreamReader;
import io.ctxprop.telemetry.testing.InMemoryTracing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

/** No API key: the gateway's own OpenAI-compatible endpoint answers, over real HTTP, and says so everywhere. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"openai.api-key=", "openai.base-url="})
@Import(InMemoryTracing.class)
class OfflineModelTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Value("${local.server.port}")
    int port;

    @Autowired
    InMemorySpanExporter spans;

    @Test
    void theAnswerCountsWordsInGoodEnglish() {
        assertThat(OfflineModel.answer("hello")).startsWith("Offline model answer: you wrote 1 word, beginning \"hello\".");
        assertThat(OfflineModel.answer("hello there")).startsWith("Offline model answer: you wrote 2 words, beginning");
    }

    @Test
    void answersOfflineThroughTheInstrumentedClientAndShowsItOnTheStatusPage() throws Exception {
        var answer = post("/process", "{\"text\":\"What is context propagation?\"}");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("Offline model answer").contains("\"model\":\"offline-echo\"");
        SpanData chat = await().atMost(Duration.ofSeconds(10)).until(() -> spans.getFinishedSpanItems().stream()
                .filter(span -> span.getName().equals("chat offline-echo")).findFirst(), java.util.Optional::isPresent).orElseThrow();
        assertThat(chat.getAttributes().get(AttributeKey.stringKey("llm.provider"))).isEqualTo("offline");
        assertThat(chat.getAttributes().get(AttributeKey.longKey("llm.token_count.prompt"))).isEqualTo(11L);

        var page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.body()).contains("offline model").contains("offline-echo").contains(chat.getTraceId());
    }

    @Test
    void streamsServerSentEventsInTheOpenAiShape() throws Exception {
        var stream = post("/offline/v1/chat/completions",
                "{\"model\":\"offline-echo\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"two words\"}]}");

        assertThat(stream.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
        assertThat(stream.body()).startsWith("data: {").contains("\"object\":\"chat.completion.chunk\"")
                .contains("\"finish_reason\":\"stop\"").contains("\"prompt_tokens\":2").endsWith("data: [DONE]\n\n");
    }

    @Test
    void pausesTheTokenDelayBetweenStreamedChunks() throws Exception {
        String prompt = "one two three four five six seven eight nine ten";
        int chunks = OfflineModel.chunks(OfflineModel.answer(prompt)).size();
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/offline/v1/chat/completions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"offline-echo\",\"stream\":true,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]}")).build();
        List<Long> arrivals = new ArrayList<>();
        try (var events = new EventStreamReader(http.send(request, HttpResponse.BodyHandlers.ofInputStream()).body())) {
            for (var event = events.next(); event != null; event = events.next()) {
                if (event.data().contains("\"content\"")) {
                    arrivals.add(System.nanoTime());
                }
            }
        }

        assertThat(arrivals).hasSize(chunks);
        // measured where they arrive, not only in all: chunks held back and sent together arrive at once
        assertThat(Duration.ofNanos(arrivals.getLast() - arrivals.getFirst()))
                .as("the default 20 ms between each of %d chunks, as they reach the reader", chunks)
                .isGreaterThanOrEqualTo(Duration.ofMillis(20L * (chunks - 1)));
    }

    @Test
    void refusesARequestWithoutAUserMessage() throws Exception {
        var refused = post("/offline/v1/chat/completions", "{\"model\":\"offline-echo\",\"messages\":[]}");

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("invalid_request_error");
    }

    private HttpResponse<String> post(String path, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
