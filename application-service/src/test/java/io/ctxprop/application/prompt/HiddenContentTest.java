package io.ctxprop.application.prompt;

import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ctxprop.application.gateway.GatewayStub;
import io.ctxprop.application.kafka.KafkaGatewayStub;
import io.ctxprop.telemetry.testing.InMemoryTracing;
import io.ctxprop.telemetry.testing.SpanTexts;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * OPENINFERENCE_HIDE_INPUTS / _OUTPUTS keep prompts and answers off every span of the application,
 * over HTTP, Kafka and both, and on the error paths of both transports; the prompt's length stays.
 * The gateway is a stub on HTTP and played by this test on a real broker.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "openinference.hide-inputs=true", "openinference.hide-outputs=true",
        "spring.kafka.listener.auto-startup=true", "spring.kafka.admin.auto-create=true",
        "llm.kafka.reply-timeout=2s", "gateway.timeout=2s"})
@EmbeddedKafka(partitions = 6, topics = {"llm.requests", "llm.replies"}, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
@Import(InMemoryTracing.class)
class HiddenContentTest {

    /** Every prompt and answer of this test contains one of these; no span may. */
    static final String PROMPT = "private prompt";
    static final String ANSWER = "private answer";
    static final GatewayStub GATEWAY = GatewayStub.start();

    static final AttributeKey<String> INPUT_VALUE = AttributeKey.stringKey("input.value");
    static final AttributeKey<String> OUTPUT_VALUE = AttributeKey.stringKey("output.value");
    static final AttributeKey<Long> TEXT_LENGTH = AttributeKey.longKey("text.length");
    static final AttributeKey<String> REPLY_OUTCOME = AttributeKey.stringKey("reply.outcome");

    @DynamicPropertySource
    static void gateway(DynamicPropertyRegistry registry) {
        registry.add("gateway.url", GATEWAY::processUrl);
    }

    @Autowired
    InMemorySpanExporter spans;

    @Value("${local.server.port}")
    int port;

    @Value("${spring.kafka.bootstrap-servers}")
    String brokers;

    private final HttpClient http = HttpClient.newHttpClient();
    private KafkaGatewayStub kafkaGateway;

    @BeforeEach
    void reset() {
        spans.reset();
        GATEWAY.willAnswer(200, answer("private answer over http"), Duration.ZERO);
        kafkaGateway = new KafkaGatewayStub(brokers);
    }

    @AfterEach
    void closeKafkaGateway() {
        kafkaGateway.close();
    }

    @AfterAll
    static void stop() {
        GATEWAY.close();
    }

    @Test
    void overHttp() throws Exception {
        String prompt = PROMPT + " over http";

        assertThat(ask(prompt, "http").join().statusCode()).isEqualTo(200);

        assertHidden(prompt, "application_process_request", "gateway_request");
    }

    @Test
    void overKafka() throws Exception {
        String prompt = PROMPT + " over kafka";

        var response = ask(prompt, "kafka");
        kafkaGateway.reply(kafkaGateway.nextRequest(prompt), answer("private answer over kafka"));

        assertThat(response.join().statusCode()).isEqualTo(200);
        assertHidden(prompt, "application_process_request", "send llm.requests", "process llm.replies");
    }

    @Test
    void overBoth() throws Exception {
        String prompt = PROMPT + " both ways";

        var response = ask(prompt, "both");
        kafkaGateway.reply(kafkaGateway.nextRequest(prompt), answer("private answer over kafka"));

        assertThat(response.join().body()).contains("private answer over http").contains("private answer over kafka");
        assertHidden(prompt, "application_process_request", "gateway_request", "send llm.requests", "process llm.replies");
    }

    @Test
    void whenTheGatewayFailsOverHttp() throws Exception {
        String prompt = PROMPT + " that fails";
        GATEWAY.willAnswer(502, "{\"title\":\"Model error\",\"detail\":\"The model server answered HTTP 500 after 3 attempt(s).\"}",
                Duration.ZERO);

        assertThat(ask(prompt, "http").join().statusCode()).isEqualTo(502);

        assertHidden(prompt, "application_process_request", "gateway_request");
    }

    @Test
    void whenTheGatewaysHttpAnswerCannotBeRead() throws Exception {
        String prompt = PROMPT + " with an unreadable answer";
        GATEWAY.willAnswer(200, "{\"response\": \"" + ANSWER + " cut off", Duration.ZERO);

        assertThat(ask(prompt, "http").join().statusCode()).isEqualTo(502);

        assertHidden(prompt, "application_process_request", "gateway_request");
    }

    @Test
    void whenTheGatewayRepliesWithAnErrorOverKafka() throws Exception {
        String prompt = PROMPT + " with an error reply";

        var response = ask(prompt, "both");
        kafkaGateway.reply(kafkaGateway.nextRequest(prompt),
                "{\"error\":\"The model server answered HTTP 500 after 3 attempt(s).\",\"status\":502}");

        assertThat(response.join().statusCode()).isEqualTo(502);
        assertHidden(prompt, "application_process_request", "gateway_request", "send llm.requests", "process llm.replies");
    }

    @Test
    void whenTheKafkaReplyIsNotJson() throws Exception {
        String prompt = PROMPT + " with a reply that is not JSON";

        var response = ask(prompt, "kafka");
        kafkaGateway.reply(kafkaGateway.nextRequest(prompt), ANSWER + ", not JSON");

        assertThat(response.join().statusCode()).isEqualTo(502);
        assertHidden(prompt, "application_process_request", "send llm.requests", "process llm.replies");
    }

    @Test
    void whenTheKafkaReplyComesLate() throws Exception {
        String prompt = PROMPT + " answered too late";

        var response = ask(prompt, "kafka");
        var request = kafkaGateway.nextRequest(prompt);
        assertThat(response.join().statusCode()).isEqualTo(504);
        kafkaGateway.reply(request, answer("private answer, late"));

        List<SpanData> finished = assertHidden(prompt, "application_process_request", "send llm.requests", "process llm.replies");
        assertThat(named(finished, "process llm.replies")).hasAttribute(REPLY_OUTCOME, "late");
    }

    private CompletableFuture<HttpResponse<String>> ask(String prompt, String transport) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/ask"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"" + prompt + "\",\"transport\":\"" + transport + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Waits for the spans named, all in one trace, then checks that none of them carries prompt or answer
     * text, and that the root keeps the prompt's length but not the prompt or answer.
     */
    private List<SpanData> assertHidden(String prompt, String... expected) {
        List<SpanData> finished = await().atMost(Duration.ofSeconds(20)).until(spans::getFinishedSpanItems,
                all -> all.stream().map(SpanData::getName).toList().containsAll(Arrays.asList(expected)));
        assertThat(finished).extracting(SpanData::getName).containsExactlyInAnyOrder(expected);
        assertThat(finished).extracting(SpanData::getTraceId).containsOnly(finished.getFirst().getTraceId());
        assertThat(named(finished, "application_process_request")).hasKind(SpanKind.SERVER)
                .hasAttribute(TEXT_LENGTH, (long) prompt.length())
                .hasAttributesSatisfying(attributes -> {
                    assertThat(attributes.get(INPUT_VALUE)).isNull();
                    assertThat(attributes.get(OUTPUT_VALUE)).isNull();
                });
        SpanTexts.assertNoneContain(finished, PROMPT, ANSWER);
        return finished;
    }

    private static SpanData named(List<SpanData> finished, String name) {
        return finished.stream().filter(span -> span.getName().equals(name)).findFirst().orElseThrow();
    }

    private static String answer(String text) {
        return "{\"response\":\"" + text + "\",\"model\":\"stub-model\"}";
    }
}
