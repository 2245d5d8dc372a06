package io.ctxprop.bench.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The stand-in model answers as OpenAI does, as far as the gateway's own client (openai-java) can tell. */
class StandInModelTest {

    private static final String PROMPT = "How does the trace context cross a Kafka hop?";

    @Test
    void answersAPlainCompletionThatOpenaiJavaValidates() throws Exception {
        try (var model = StandInModel.start(0, Duration.ZERO, Duration.ZERO)) {
            ChatCompletion completion = client(model).chat().completions().create(request().build());

            assertThat(completion.model()).isEqualTo("gpt-4o-mini");
            assertThat(completion.choices()).singleElement().satisfies(choice -> {
                assertThat(choice.message().content()).contains(StandInAnswer.to(PROMPT).text());
                assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
            });
            var answer = StandInAnswer.to(PROMPT);
            assertThat(answer.text()).startsWith("Stand-in model answer: your prompt has 9 words and begins \"How does");
            assertThat(answer.completionTokens()).isBetween(25, 40);
            assertThat(completion.usage()).hasValueSatisfying(usage -> {
                assertThat(usage.promptTokens()).isEqualTo(9);
                assertThat(usage.totalTokens()).isEqualTo(9 + answer.completionTokens());
            });
        }
    }

    @Test
    void streamsOneChunkPerWordThenTheFinishAndTheUsage() throws Exception {
        try (var model = StandInModel.start(0, Duration.ZERO, Duration.ZERO)) {
            List<ChatCompletionChunk> chunks = stream(model);

            var answer = StandInAnswer.to(PROMPT);
            List<String> words = answer.chunks();
            assertThat(chunks).hasSize(words.size() + 2);
            assertThat(chunks.getFirst().choices().getFirst().delta().role())
                    .hasValue(ChatCompletionChunk.Choice.Delta.Role.ASSISTANT);
            assertThat(chunks.subList(0, words.size()))
                    .map(chunk -> chunk.choices().getFirst().delta().content().orElseThrow())
                    .containsExactlyElementsOf(words);
            assertThat(String.join("", words)).isEqualTo(answer.text());
            assertThat(chunks.get(words.size()).choices().getFirst().finishReason())
                    .hasValue(ChatCompletionChunk.Choice.FinishReason.STOP);
            var usage = chunks.getLast();
            assertThat(usage.choices()).isEmpty();
            assertThat(usage.usage()).hasValueSatisfying(tokens ->
                    assertThat(tokens.completionTokens()).isEqualTo(answer.completionTokens()));
        }
    }

    @Test
    void aLongAnswerStreamsAsManyPiecesAsWordsAskedAndAddsUpToItsText() throws Exception {
        try (var model = StandInModel.start(0, Duration.ZERO, Duration.ZERO, 500)) {
            List<ChatCompletionChunk> chunks = stream(model);

            var answer = StandInAnswer.to(PROMPT, 500);
            List<String> pieces = chunks.stream().flatMap(chunk -> chunk.choices().stream())
                    .flatMap(choice -> choice.delta().content().stream()).toList();
            assertThat(pieces).hasSize(500).containsExactlyElementsOf(answer.chunks());
            assertThat(String.join("", pieces)).isEqualTo(answer.text()).startsWith(StandInAnswer.to(PROMPT).text() + " Stand-in");
            assertThat(chunks.getLast().usage()).hasValueSatisfying(tokens ->
                    assertThat(tokens.completionTokens()).isEqualTo(500));
            assertThat(StandInAnswer.to(PROMPT, 0)).isEqualTo(StandInAnswer.to(PROMPT));
            assertThat(StandInAnswer.to(PROMPT, 3).text()).isEqualTo("Stand-in model answer:");
        }
    }

    @Test
    void spacesTheStreamedWordsByTheTokenDelay() throws Exception {
        Duration delay = Duration.ofMillis(20);
        try (var model = StandInModel.start(0, Duration.ZERO, delay);
                StreamResponse<ChatCompletionChunk> stream = client(model).chat().completions()
                        .createStreaming(request().build())) {
            long first = 0;
            long last = 0;
            int words = 0;
            for (ChatCompletionChunk chunk : (Iterable<ChatCompletionChunk>) stream.stream()::iterator) {
                if (chunk.choices().stream().anyMatch(choice -> choice.delta().content().isPresent())) {
                    last = System.nanoTime();
                    first = words++ == 0 ? last : first;
                }
            }
            assertThat(words).isEqualTo(StandInAnswer.to(PROMPT).chunks().size());
            assertThat(Duration.ofNanos(last - first)).isGreaterThanOrEqualTo(delay.multipliedBy(words - 1));
        }
    }

    @Test
    void holdsEveryWaitingCallAtOnce() throws Exception {
        var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try (var model = StandInModel.start(0, Duration.ofMillis(500), Duration.ZERO);
                var callers = Executors.newVirtualThreadPerTaskExecutor()) {
            var post = HttpRequest.newBuilder(URI.create(model.baseUrl() + "/chat/completions"))
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"" + PROMPT + "\"}]}"))
                    .build();
            long start = System.nanoTime();
            var calls = new ArrayList<Future<HttpResponse<String>>>();
            for (int i = 0; i < 200; i++) {
                calls.add(callers.submit(() -> http.send(post, HttpResponse.BodyHandlers.ofString())));
            }
            for (Future<HttpResponse<String>> call : calls) {
                HttpResponse<String> response = call.get(10, TimeUnit.SECONDS);
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).contains("\"object\":\"chat.completion\"", "Stand-in model answer");
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void takesANewLatencyWhileItRunsAndRefusesANonsenseOne() throws Exception {
        var http = HttpClient.newHttpClient();
        try (var model = StandInModel.start(0, Duration.ZERO, Duration.ZERO)) {
            var post = HttpRequest.newBuilder(URI.create(model.baseUrl() + "/chat/completions"))
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"" + PROMPT + "\"}]}"))
                    .build();
            URI control = URI.create("http://127.0.0.1:" + model.port() + StandInModel.LATENCY_PATH);

            assertThat(setLatency(http, control, "1000").statusCode()).isEqualTo(200);
            long start = System.nanoTime();
            assertThat(http.send(post, HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(1000));

            assertThat(setLatency(http, control, "-1").statusCode()).isEqualTo(400);
            assertThat(setLatency(http, control, "soon").statusCode()).isEqualTo(400);
            assertThat(setLatency(http, control, "0").statusCode()).isEqualTo(200);
            start = System.nanoTime();
            assertThat(http.send(post, HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1000));
        }
    }

    private static HttpResponse<String> setLatency(HttpClient http, URI control, String millis) throws Exception {
        return http.send(HttpRequest.newBuilder(control).POST(HttpRequest.BodyPublishers.ofString(millis)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void refusesWhatIsNotAChatCompletionRequest() throws Exception {
        var http = HttpClient.newHttpClient();
        try (var model = StandInModel.start(0, Duration.ZERO, Duration.ZERO)) {
            assertThat(http.send(HttpRequest.newBuilder(URI.create(model.baseUrl() + "/embeddings"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode()).isEqualTo(404);
            assertThat(http.send(HttpRequest.newBuilder(URI.create(model.baseUrl() + "/chat/completions")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(405);
            assertThat(http.send(HttpRequest.newBuilder(URI.create(model.baseUrl() + "/chat/completions"))
                    .POST(HttpRequest.BodyPublishers.ofString("not json")).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode()).isEqualTo(400);
            assertThat(client(model).models().list().data()).singleElement()
                    .satisfies(listed -> assertThat(listed.id()).isEqualTo("stand-in"));
        }
    }

    private static List<ChatCompletionChunk> stream(StandInModel model) {
        var request = request().streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
        try (StreamResponse<ChatCompletionChunk> stream = client(model).chat().completions().createStreaming(request)) {
            return stream.stream().toList();
        }
    }

    /** The gateway's request: its model, its system prompt, the user's text. */
    private static ChatCompletionCreateParams.Builder request() {
        return ChatCompletionCreateParams.builder()
                .model("gpt-4o-mini")
                .addSystemMessage("You are a helpful assistant. Answer briefly.")
                .addUserMessage(PROMPT);
    }

    /** Validating every response: a field openai-java requires and the stand-in left out fails the call. */
    private static OpenAIClient client(StandInModel model) {
        return OpenAIOkHttpClient.builder().baseUrl(model.baseUrl()).apiKey("stand-in").maxRetries(0)
                .responseValidation(true).build();
    }
}
