package io.ctxprop.application.prompt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ctxprop.application.gateway.GatewayStub;
import io.ctxprop.telemetry.testing.InMemoryTracing;
import static io.ctxprop.telemetry.testing.ProblemAssertions.assertProblem;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The application's side of the HTTP hop, against a gateway stubbed over real HTTP. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {"gateway.timeout=1s", "gateway.api-key=" + AskOverHttpTest.GATEWAY_KEY})
@Import(InMemoryTracing.class)
class AskOverHttpTest {

    static final GatewayStub GATEWAY = GatewayStub.start();
    static final String GATEWAY_KEY = "stub-gateway-key";
    static final String OK = "{\"response\":\"stub answer\",\"model\":\"stub-model\"}";

    @DynamicPropertySource
    static void gateway(DynamicPropertyRegistry registry) {
        registry.add("gateway.url", GATEWAY::processUrl);
    }

    @Autowired
    ObservationRegistry observations;

    @Autowired
    InMemorySpanExporter spans;

    @Value("${local.server.port}")
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void reset() {
        spans.reset();
        GATEWAY.willAnswer(200, OK, Duration.ZERO);
    }

    @AfterAll
    static void stop() {
        GATEWAY.close();
    }

    @Test
    void answersOverHttpInOneTraceWithTheContextInTheHeaders() throws Exception {
        var response = postJson("{\"text\":\"hello gateway\",\"transport\":\"http\",\"propagate\":true}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).containsPattern("\"traceId\":\"[0-9a-f]{32}\"")
                .contains("\"transport\":\"http\"").contains("\"text\":\"stub answer\"").contains("\"model\":\"stub-model\"")
                .containsPattern("\"latencyMs\":\\d+");
        SpanData root = awaitSpan("application_process_request");
        SpanData client = awaitSpan("gateway_request");
        assertThat(response.body()).contains(root.getTraceId());
        assertThat(root.getKind()).isEqualTo(SpanKind.SERVER);
        assertThat(root.getParentSpanContext().isValid()).isFalse();
        assertThat(string(root, "openinference.span.kind")).isEqualTo("CHAIN");
        assertThat(string(root, "input.value")).isEqualTo("hello gateway");
        assertThat(string(root, "output.value")).isEqualTo("stub answer");
        assertThat(root.getAttributes().get(AttributeKey.longKey("text.length"))).isEqualTo(13L);
        assertThat(root.getAttributes().get(AttributeKey.booleanKey("context_propagation_enabled"))).isTrue();
        assertThat(client.getKind()).isEqualTo(SpanKind.CLIENT);
        assertThat(client.getTraceId()).isEqualTo(root.getTraceId());
        assertThat(client.getParentSpanId()).isEqualTo(root.getSpanId());
        assertThat(string(client, "gateway.url")).isEqualTo(GATEWAY.processUrl());
        assertThat(string(client, "url.full")).isEqualTo(GATEWAY.processUrl());
        assertThat(client.getAttributes().get(AttributeKey.longKey("gateway.response.status"))).isEqualTo(200L);
        assertThat(client.getAttributes().get(AttributeKey.longKey("http.response.status_code"))).isEqualTo(200L);
        assertThat(client.getAttributes().get(AttributeKey.booleanKey("context_propagated"))).isTrue();

        var atGateway = GATEWAY.received().getFirst();
        assertThat(atGateway.header("traceparent")).startsWith("00-" + root.getTraceId() + "-" + client.getSpanId());
        assertThat(atGateway.body()).isEqualTo("{\"text\":\"hello gateway\"}");
        assertThat(atGateway.header("Authorization")).as("the application sends GATEWAY_API_KEY").isEqualTo("Bearer " + GATEWAY_KEY);
        assertThat(spans.getFinishedSpanItems().toString()).doesNotContain(GATEWAY_KEY);
    }

    @Test
    void withPropagationOffNoContextLeavesTheApplication() throws Exception {
        var response = postJson("{\"text\":\"lost\",\"transport\":\"http\",\"propagate\":false}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(GATEWAY.received().getFirst().header("traceparent")).isNull();
        assertThat(awaitSpan("gateway_request").getAttributes().get(AttributeKey.booleanKey("context_propagated"))).isFalse();
        assertThat(awaitSpan("application_process_request").getAttributes()
                .get(AttributeKey.booleanKey("context_propagation_enabled"))).isFalse();
    }

    @Test
    void continuesACallersTraceByDefault() throws Exception {
        String traceId = "0af7651916cd43dd8448eb211c80319c";
        var response = http.send(HttpRequest.newBuilder(uri("/api/ask"))
                .header("Content-Type", "application/json")
                .header("traceparent", "00-" + traceId + "-b7ad6b7169203331-01")
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"continue\"}")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.body()).contains("\"traceId\":\"" + traceId + "\"");
        assertThat(awaitSpan("application_process_request").getParentSpanId()).isEqualTo("b7ad6b7169203331");
    }

    @Test
    void badInputIsAProblemWithTheTraceId() throws Exception {
        assertProblem(postJson("{\"text\":\"\"}"), 400, "Empty text");
        assertProblem(postJson("{\"transport\":\"http\"}"), 400, "Empty text");
        assertProblem(postJson("{\"text\":\"" + "y".repeat(4001) + "\"}"), 413, "Text too large");
        assertProblem(postJson("{\"text\":\"hi\",\"transport\":\"pigeon\"}"), 400, "Unknown transport");
        var malformed = postJson("{\"text\": oops");
        assertProblem(malformed, 400, "Bad Request");
        assertThat(malformed.body()).as("what is wrong and where, as Jackson reports it").contains("Unrecognized token 'oops'")
                .contains("at line 1, column ");
        var wrongValue = postJson("{\"text\":\"hi\",\n\"propagate\":\"maybe\"}");
        assertProblem(wrongValue, 400, "Bad Request");
        assertThat(wrongValue.body()).contains("at line 2, column ");
        for (String notAString : new String[] {"5", "4.2", "true", "[\"hi\"]", "{\"a\":1}"}) {
            var response = postJson("{\"text\": " + notAString + "}");
            assertProblem(response, 400, "Bad Request");
            assertThat(response.body()).as("the prompt is a JSON string, never " + notAString + " made one")
                    .contains("\\\"text\\\" must be a JSON string", "at line 1, column");
        }
        assertThat(postJson("{\"text\":\"hi\",\"transport\": 1}").statusCode()).isEqualTo(400);
        var wrongType = http.send(HttpRequest.newBuilder(uri("/api/ask")).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("hi")).build(), HttpResponse.BodyHandlers.ofString());
        assertProblem(wrongType, 415, "Unsupported Media Type");
        var wrongMethod = http.send(HttpRequest.newBuilder(uri("/api/ask")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertProblem(wrongMethod, 405, "Method Not Allowed");
        assertThat(GATEWAY.received()).isEmpty();
    }

    @Test
    void aFailingGatewayIsA502AndTheClientSpanSaysWhy() throws Exception {
        GATEWAY.willAnswer(502, "{\"title\":\"Model error\",\"detail\":\"The model server answered HTTP 500 after 3 attempt(s).\"}", Duration.ZERO);

        var response = postJson("{\"text\":\"fail please\"}");

        assertProblem(response, 502, "Gateway error");
        assertThat(response.body()).contains("The model server answered HTTP 500");
        SpanData client = awaitSpan("gateway_request");
        assertThat(client.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(string(client, "gateway.response.error")).contains("HTTP 500");
        assertThat(awaitSpan("application_process_request").getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    }

    @Test
    void aSilentGatewayIsA504WithinTheConfiguredTimeout() throws Exception {
        GATEWAY.willAnswer(200, OK, Duration.ofSeconds(10));

        assertProblem(postJson("{\"text\":\"anyone?\"}"), 504, "Gateway timeout");
    }

    @Test
    void theSessionCookieTravelsAsBaggageAndIsStampedOnTheSpans() throws Exception {
        var first = postJson("{\"text\":\"first\"}");
        String cookie = first.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith("session_id=").contains("HttpOnly").contains("SameSite=Lax");
        String sessionId = cookie.substring("session_id=".length(), cookie.indexOf(';'));
        spans.reset();

        var second = http.send(HttpRequest.newBuilder(uri("/api/ask")).header("Content-Type", "application/json")
                .header("Cookie", "session_id=" + sessionId).header("baggage", "user.secret=do-not-store")
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"second\"}")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(second.headers().firstValue("Set-Cookie")).as("an existing session is kept").isEmpty();
        assertThat(string(awaitSpan("application_process_request"), "session.id")).isEqualTo(sessionId);
        assertThat(string(awaitSpan("gateway_request"), "session.id")).isEqualTo(sessionId);
        assertThat(spans.getFinishedSpanItems()).allSatisfy(span ->
                assertThat(span.getAttributes().asMap().values().toString()).doesNotContain("do-not-store"));
        assertThat(GATEWAY.received().getLast().header("baggage")).contains("session.id=" + sessionId);
    }

    @Test
    void baggageOverTheW3cLimitsIsIgnored() throws Exception {
        var response = http.send(HttpRequest.newBuilder(uri("/api/ask")).header("Content-Type", "application/json")
                .header("baggage", "k=" + "v".repeat(9000))
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"big baggage\"}")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(GATEWAY.received().getFirst().header("baggage")).doesNotContain("vvvv");
    }

    @Test
    void aBodyOverTheLimitIsA413BeforeItIsRead() throws Exception {
        var declared = postJson("{\"text\":\"" + "z".repeat(1_100_000) + "\"}");
        assertProblem(declared, 413, "Request too large");

        var streamed = http.send(HttpRequest.newBuilder(uri("/api/ask")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(
                        ("{\"text\":\"" + "z".repeat(1_100_000) + "\"}").getBytes()))).build(), HttpResponse.BodyHandlers.ofString());
        assertProblem(streamed, 413, "Request too large");
        assertThat(GATEWAY.received()).isEmpty();
    }

    @Test
    void pagesSendSecurityHeaders() throws Exception {
        var page = http.send(HttpRequest.newBuilder(uri("/")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp ->
                assertThat(csp).contains("script-src 'self';").contains("connect-src 'self'").contains("frame-ancestors 'self'")
                        .doesNotContainPattern("script-src[^;]*unsafe"));
        assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("SAMEORIGIN");
        assertThat(page.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
    }

    @Test
    void theFormWorksWithoutJavaScriptAndEscapesWhatItEchoes() throws Exception {
        var page = http.send(HttpRequest.newBuilder(uri("/")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.body()).contains("<form method=\"post\" action=\"/ask\"").contains("name=\"propagate\"");

        String form = "text=" + URLEncoder.encode("<script>alert(1)</script>", StandardCharsets.UTF_8) + "&transport=http&propagate=true";
        var result = http.send(HttpRequest.newBuilder(uri("/ask")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(result.statusCode()).isEqualTo(200);
        assertThat(result.body()).contains("stub answer").contains(awaitSpan("application_process_request").getTraceId())
                .doesNotContain("<script>alert(1)</script>").contains("&lt;script&gt;alert(1)&lt;/script&gt;");
    }

    @Test
    void theFormLoadsItsStreamingScriptFromAFileAndRunsNoInlineScript() throws Exception {
        String page = http.send(HttpRequest.newBuilder(uri("/")).build(), HttpResponse.BodyHandlers.ofString()).body();

        assertThat(page).containsOnlyOnce("<script").contains("<script src=\"/js/ask-stream.js\" defer></script>")
                .doesNotContainPattern("\\son[a-z]+=")
                .contains("data-stream-url=\"/api/ask/stream\"")
                .contains("data-spans-http=\"4\"").contains("data-spans-http-unpropagated=\"2\"")
                .contains("data-spans-kafka=\"7\"").contains("data-spans-kafka-unpropagated=\"3\"")
                .contains("data-spans-both=\"10\"").contains("data-spans-both-unpropagated=\"4\"");
        var script = http.send(HttpRequest.newBuilder(uri("/js/ask-stream.js")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/javascript"));
        assertThat(script.body()).contains("data-stream-url").doesNotContain("innerHTML").doesNotContain("eval(");
    }

    private HttpResponse<String> postJson(String json) throws Exception {
        return http.send(HttpRequest.newBuilder(uri("/api/ask")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }


    private SpanData awaitSpan(String name) {
        return await().atMost(Duration.ofSeconds(10)).until(() -> spans.getFinishedSpanItems().stream()
                .filter(span -> span.getName().equals(name)).findFirst(), Optional::isPresent).orElseThrow();
    }

    private static String string(SpanData span, String key) {
        return span.getAttributes().get(AttributeKey.stringKey(key));
    }

    @Test
    void bootsOwnHttpObservationsAreOffBesideTheProjectsServerSpans() {
        assertThat(Observation.createNotStarted("http.server.requests", observations).isNoop()).isTrue();
        assertThat(Observation.createNotStarted("http.client.requests", observations).isNoop()).isTrue();
        assertThat(Observation.createNotStarted("another.observation", observations).isNoop()).isFalse();
    }
}
