package io.ctxprop.systemtests;

import static io.ctxprop.systemtests.Traces.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;

/**
 * Both services export over OTLP into the application's own trace inspector, as the local defaults
 * have them do: its JSON view shows the design's tree for each transport, it says which hop lost the
 * context when propagation is off, and the form shows the waterfall in a browser. The keys are set as
 * {@code ./run.sh} sets them: the application calls the gateway with {@code GATEWAY_API_KEY}, the
 * gateway's exporter sends {@code INSPECTOR_INGEST_KEY} (so every gateway span in these traces came in
 * authenticated), and callers without the keys are refused.
 */
class InspectorIT {

    static final Pattern ROW = Pattern.compile("\"depth\":(\\d+),.*?\"name\":\"([^\"]+)\"");
    static final Map<String, List<String>> DESIGN = Map.of(
            "http", List.of("0 application_process_request", "1 gateway_request", "2 llm_gateway_process", "3 chat offline-echo"),
            "kafka", List.of("0 application_process_request", "1 send llm.requests", "2 process llm.requests",
                    "3 llm_gateway_process", "4 chat offline-echo", "3 send llm.replies", "4 process llm.replies"));

    static final String GATEWAY_KEY = "it-gateway-key-3c9b";
    static final String INGEST_KEY = "it-ingest-key-b7e2";

    static Stack stack;
    static ServiceProcess application;
    static ServiceProcess gateway;

    @BeforeAll
    static void start() throws Exception {
        stack = new Stack();
        int appPort = Ports.free();
        var toInspector = new HashMap<>(stack.environment());
        toInspector.put("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + appPort);
        toInspector.put("GATEWAY_API_KEY", GATEWAY_KEY);
        var gatewayEnvironment = new HashMap<>(toInspector);
        gatewayEnvironment.put("OTEL_EXPORTER_OTLP_TRACES_HEADERS", "Authorization=Bearer%20" + INGEST_KEY);
        gateway = stack.track(ServiceProcess.start("gateway-inspected", "gateway-service", "GATEWAY_PORT", gatewayEnvironment));
        toInspector.put("GATEWAY_URL", gateway.baseUrl() + "/process");
        toInspector.put("APP_PORT", Integer.toString(appPort));
        toInspector.put("INSPECTOR_INGEST_KEY", INGEST_KEY);
        application = stack.track(ServiceProcess.start("application-inspector", "application-service", "APP_PORT", toInspector));
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http", "kafka", "both"})
    void theInspectorShowsTheDesignsTreeForEachTransport(String transport) throws Exception {
        String traceId = askOk(application, "{\"text\":\"inspect me\",\"transport\":\"" + transport + "\"}");

        List<String> expected = new ArrayList<>(transport.equals("both") ? both() : DESIGN.get(transport));
        String json = await().atMost(Duration.ofSeconds(20)).until(() -> traceJson(traceId),
                body -> rows(body).size() >= expected.size());
        if (transport.equals("both")) {
            assertThat(rows(json)).containsExactlyInAnyOrderElementsOf(expected);
        } else {
            assertThat(rows(json)).containsExactlyElementsOf(expected);
        }
        assertThat(json).contains("The trace holds together").contains("from 2 services");
    }

    @Test
    void withPropagationOffTheDiagnosisNamesTheBrokenHopAndShowsBothTraces() throws Exception {
        String traceId = askOk(application, "{\"text\":\"lose it\",\"transport\":\"both\",\"propagate\":false}");

        String json = await().atMost(Duration.ofSeconds(20)).until(() -> traceJson(traceId),
                body -> body.contains("not propagated over HTTP") && body.contains("not propagated over Kafka"));
        var related = Pattern.compile("\"relatedTrace\":\"([0-9a-f]{32})\"").matcher(json);
        List<String> separate = new ArrayList<>();
        while (related.find()) {
            separate.add(related.group(1));
        }
        assertThat(separate).hasSize(2).doesNotContain(traceId);
        assertThat(separate.stream().map(InspectorIT::traceJson).toList())
                .anySatisfy(body -> assertThat(body).contains("\"name\":\"llm_gateway_process\"").contains("\"context_propagated\":\"false\""))
                .anySatisfy(body -> assertThat(body).contains("\"name\":\"process llm.requests\""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http", "kafka", "both"})
    void theFormShowsTheWaterfallWithBothServices(String transport) throws Exception {
        var browser = Browser.start();
        try {
            browser.get(application.baseUrl() + "/");
            browser.findElement(By.id("text")).sendKeys("Show me the trace (" + transport + ")");
            browser.findElement(By.cssSelector("input[name=transport][value=" + transport + "]")).click();
            browser.findElement(By.cssSelector("button[type=submit]")).click();

            browser.switchTo().frame(Browser.await(browser, By.id("trace-frame")));
            var rows = Browser.awaitAtLeast(browser, By.cssSelector(".inspection .waterfall .row"), transport.equals("http") ? 4 : 7);
            assertThat(rows).extracting(row -> row.getAttribute("data-service")).contains("application-service", "gateway-service");
            assertThat(rows).extracting(row -> row.getAttribute("data-span-name")).contains("chat offline-echo");
            rows.getLast().findElement(By.tagName("summary")).click();
            assertThat(rows.getLast().findElement(By.cssSelector(".attributes")).getText()).contains("span id");
            assertThat(browser.findElements(By.cssSelector(".diagnosis.ok"))).as("the trace holds together").hasSize(1);
            browser.switchTo().defaultContent();
            Browser.screenshot(browser, "inspector-" + transport);

            browser.findElement(By.id("trace-link")).click();
            assertThat(Browser.awaitText(browser, By.cssSelector("h1"), "^Trace .*").getText()).startsWith("Trace ");
            assertThat(browser.findElements(By.cssSelector(".waterfall .row"))).hasSizeGreaterThanOrEqualTo(4);
        } finally {
            browser.quit();
        }
    }

    /**
     * The attack of issue 21 on the plaintext broker: a client reads llm.requests and writes a forged
     * answer with each request's correlation id to its reply topic. Whichever of the two replies comes
     * first is the answer (as before), but the other is a conflicting reply: logged with both trace
     * contexts, and the inspector says two different answers arrived instead of "holds together".
     */
    @Test
    void aForgedReplyIsLoggedAndShownAsTwoDifferentAnswers() throws Exception {
        String bootstrap = stack.bootstrapServers();
        var partitions = java.util.stream.IntStream.range(0, 6).mapToObj(partition -> new TopicPartition("llm.requests", partition)).toList();
        try (var reader = new KafkaConsumer<String, byte[]>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
                var forger = new KafkaProducer<String, String>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
            reader.assign(partitions);
            reader.seekToEnd(partitions);
            partitions.forEach(reader::position);
            var asked = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return askOk(application, "{\"text\":\"forge me\",\"transport\":\"kafka\"}");
                } catch (Exception failure) {
                    throw new IllegalStateException(failure);
                }
            });
            ConsumerRecord<String, byte[]> request = await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (var record : reader.poll(Duration.ofMillis(200))) {
                    if (record.headers().lastHeader("kafka_replyTopic") != null) {
                        return record;
                    }
                }
                return null;
            }, java.util.Objects::nonNull);
            var forged = new ProducerRecord<>(new String(request.headers().lastHeader("kafka_replyTopic").value(), StandardCharsets.UTF_8),
                    request.key(), "{\"response\":\"FORGED-by-attacker: wire money to mallory\",\"model\":\"evil\"}");
            forged.headers().add("kafka_correlationId", request.headers().lastHeader("kafka_correlationId").value());
            forger.send(forged).get();

            String traceId = asked.get(60, java.util.concurrent.TimeUnit.SECONDS);
            String json = await().atMost(Duration.ofSeconds(30)).until(() -> traceJson(traceId),
                    body -> body.contains("Two different answers arrived"));
            assertThat(json).doesNotContain("The trace holds together");
            String conversation = request.key();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(application.log())
                    .contains("Conflicting reply dropped: correlation id " + conversation + " was answered at llm.replies-"));
        }
    }

    @Test
    void callersWithoutTheKeysAreRefused() throws Exception {
        var anonymous = HTTP.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/process")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"spend the key\"}")).build(), HttpResponse.BodyHandlers.ofString());
        io.ctxprop.telemetry.testing.ProblemAssertions.assertProblem(anonymous, 401, "Unauthorized");
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"gateway\"");
        var keyed = HTTP.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/process")).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + GATEWAY_KEY)
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"spend the key\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(keyed.statusCode()).as(keyed.body()).isEqualTo(200);

        // a span claiming the gateway, posted into a real trace without the ingest key
        String traceId = askOk(application, "{\"text\":\"real request\",\"transport\":\"http\"}");
        await().atMost(Duration.ofSeconds(20)).until(() -> rows(traceJson(traceId)).size() >= 4);
        var forged = io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest.newBuilder().addResourceSpans(
                io.opentelemetry.proto.trace.v1.ResourceSpans.newBuilder()
                        .setResource(io.opentelemetry.proto.resource.v1.Resource.newBuilder().addAttributes(
                                io.opentelemetry.proto.common.v1.KeyValue.newBuilder().setKey("service.name").setValue(
                                        io.opentelemetry.proto.common.v1.AnyValue.newBuilder().setStringValue("gateway-service"))))
                        .addScopeSpans(io.opentelemetry.proto.trace.v1.ScopeSpans.newBuilder().addSpans(
                                io.opentelemetry.proto.trace.v1.Span.newBuilder()
                                        .setTraceId(com.google.protobuf.ByteString.fromHex(traceId))
                                        .setSpanId(com.google.protobuf.ByteString.fromHex("f0f0f0f0f0f0f0f0"))
                                        .setName("FORGED: transfer $1000 to mallory").setStartTimeUnixNano(1).setEndTimeUnixNano(2)))).build();
        var refused = HTTP.send(HttpRequest.newBuilder(URI.create(application.baseUrl() + "/v1/traces")).header("Content-Type", "application/x-protobuf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(forged.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(traceJson(traceId)).contains("llm_gateway_process").doesNotContain("FORGED");
    }

    private static List<String> both() {
        List<String> rows = new ArrayList<>(DESIGN.get("kafka"));
        rows.addAll(DESIGN.get("http").subList(1, 4));
        return rows;
    }

    private static List<String> rows(String json) {
        var matcher = ROW.matcher(json);
        List<String> rows = new ArrayList<>();
        while (matcher.find()) {
            rows.add(matcher.group(1) + " " + matcher.group(2));
        }
        return rows;
    }

    private static String traceJson(String traceId) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(application.baseUrl() + "/traces/" + traceId))
                    .header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : "";
        } catch (Exception failure) {
            throw new IllegalStateException(failure);
        }
    }
}
