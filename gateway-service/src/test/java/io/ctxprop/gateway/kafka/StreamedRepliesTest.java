package io.ctxprop.gateway.kafka;

import static io.ctxprop.telemetry.testing.KafkaTestClients.header;
import static io.ctxprop.telemetry.testing.KafkaTestClients.readAll;
import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ctxprop.gateway.completion.ModelStub;
import io.ctxprop.gateway.completion.ModelStub.Reply;
import io.ctxprop.telemetry.streaming.StreamHeaders;
import io.ctxprop.telemetry.streaming.StreamingAttributes;
import io.ctxprop.telemetry.testing.InMemoryTracing;
import io.ctxprop.telemetry.testing.KafkaTestClients;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Streamed requests on a real (in-process KRaft) broker with a model stubbed over HTTP: chunk records
 * in order on one partition (a fast model's pieces coalesced, 15 ms window), then the last record, all inside one {@code send llm.replies} span; a
 * request without the header still gets one reply; a cancel record stops a slow stream (the model
 * server sees its connection closed early) and the request ends with the 499 last record, both
 * records committed.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.kafka.listener.auto-startup=true", "llm.kafka.listener.backoff=20ms", "llm.kafka.listener.max-backoff=40ms"})
@EmbeddedKafka(partitions = 3, topics = {"llm.requests", "llm.replies", "llm.requests-dlt"},
        bootstrapServersProperty = "spring.kafka.bootstrap-servers")
@Import(InMemoryTracing.class)
class StreamedRepliesTest {

    static final String CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String TRACEPARENT = "00-" + CALLER_TRACE + "-00f067aa0ba902b7-01";
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final ModelStub MODEL = ModelStub.start();

    @DynamicPropertySource
    static void modelServer(DynamicPropertyRegistry registry) {
        registry.add("openai.base-url", MODEL::baseUrl);
        registry.add("openai.api-key", () -> "sk-kafka-stream-test");
        registry.add("openai.timeout", () -> "5s");
    }

    @Value("${spring.kafka.bootstrap-servers}")
    String brokers;

    @Autowired
    InMemorySpanExporter spans;

    @AfterAll
    static void stopStub() {
        MODEL.close();
    }

    @Test
    void aStreamedRequestIsAnsweredByChunksInOrderThenTheLastRecordInsideOneSendSpan() throws Exception {
        MODEL.willReply(Reply.streamed("Hel", "lo, ", "Kaf", "ka"));
        String id = "stream-" + UUID.randomUUID();

        KafkaTestClients.send(brokers, streamRequest(0, id, "Say hello"));

        List<ConsumerRecord<String, byte[]>> records = awaitLastRecord(id);
        int chunkRecords = records.size() - 1;
        assertThat(chunkRecords).as("the pieces written within one window share a record").isBetween(1, 4);
        assertThat(records).extracting(ConsumerRecord::partition).as("one partition").containsOnly(records.getFirst().partition());
        assertThat(records).extracting(ConsumerRecord::key).containsOnly(id);
        List<ConsumerRecord<String, byte[]>> chunks = records.subList(0, chunkRecords);
        List<Integer> seqs = IntStream.range(0, chunkRecords).boxed().toList();
        assertThat(chunks).extracting(record -> StreamHeaders.seq(record.headers())).containsExactlyElementsOf(seqs);
        assertThat(chunks).extracting(record -> json(record).path("seq").asInt()).containsExactlyElementsOf(seqs);
        assertThat(chunks).allSatisfy(record -> assertThat(StreamHeaders.isSet(record.headers(), StreamHeaders.LAST)).isFalse());
        assertThat(json(chunks.getFirst()).path("chunk").asString()).as("the first piece went at once, alone").isEqualTo("Hel");
        String joined = String.join("", chunks.stream().map(record -> json(record).path("chunk").asString()).toList());
        ConsumerRecord<String, byte[]> last = records.getLast();
        assertThat(StreamHeaders.isSet(last.headers(), StreamHeaders.LAST)).isTrue();
        assertThat(header(last, StreamHeaders.CHUNK_SEQ)).isEqualTo(Integer.toString(chunkRecords));
        assertThat(json(last).path("response").asString()).isEqualTo(joined).isEqualTo("Hello, Kafka");
        assertThat(json(last).path("model").asString()).isEqualTo("stub-model-1");

        SpanData send = awaitSpan("send llm.replies", id);
        SpanData process = awaitSpan("process llm.requests", id);
        assertThat(send).hasKind(SpanKind.PRODUCER).hasTraceId(CALLER_TRACE).hasParentSpanId(process.getSpanId())
                .hasAttribute(StreamingAttributes.CHUNKS, (long) chunkRecords).hasAttribute(StreamingAttributes.STREAMED, true)
                .hasEventsSatisfyingExactly(event -> event.hasName(StreamingAttributes.FIRST_CHUNK_EVENT));
        assertThat(records).allSatisfy(record -> {
            assertThat(header(record, "kafka_correlationId")).isEqualTo(id);
            assertThat(KafkaTestClients.headerCount(record, "traceparent")).isEqualTo(1);
            assertThat(header(record, "traceparent")).startsWith("00-" + CALLER_TRACE + "-" + send.getSpanId() + "-");
        });
        SpanData gateway = spanUnder("llm_gateway_process", process);
        assertThat(gateway).as("the model's pieces").hasAttribute(StreamingAttributes.STREAMED, true).hasAttribute(StreamingAttributes.CHUNKS, 4L)
                .hasEventsSatisfyingExactly(event -> event.hasName(StreamingAttributes.FIRST_CHUNK_EVENT));
        KafkaTestClients.awaitCommittedToTheEnd(brokers, "llm-gateway", "llm.requests", 0);
    }

    @Test
    void aFastModelsPiecesAreCoalescedIntoFarFewerRecordsAndTheTextIsExact() throws Exception {
        String[] pieces = IntStream.range(0, 300).mapToObj(index -> "tok" + index + " ").toArray(String[]::new);
        MODEL.willReply(Reply.streamed(pieces)); // written at once: a model far faster than the 15 ms window
        String id = "fast-" + UUID.randomUUID();

        KafkaTestClients.send(brokers, streamRequest(1, id, "Say a lot"));

        List<ConsumerRecord<String, byte[]>> records = awaitLastRecord(id);
        int chunkRecords = records.size() - 1;
        assertThat(chunkRecords).as("chunk records for 300 pieces").isPositive().isLessThan(pieces.length / 3);
        List<ConsumerRecord<String, byte[]>> chunks = records.subList(0, chunkRecords);
        assertThat(chunks).extracting(record -> json(record).path("seq").asInt())
                .containsExactlyElementsOf(IntStream.range(0, chunkRecords).boxed().toList());
        assertThat(json(chunks.getFirst()).path("chunk").asString()).as("the first piece went at once, alone").isEqualTo("tok0 ");
        String joined = String.join("", chunks.stream().map(record -> json(record).path("chunk").asString()).toList());
        assertThat(joined).isEqualTo(String.join("", pieces)).isEqualTo(json(records.getLast()).path("response").asString());
        assertThat(header(records.getLast(), StreamHeaders.CHUNK_SEQ)).isEqualTo(Integer.toString(chunkRecords));
        assertThat(awaitSpan("send llm.replies", id)).hasAttribute(StreamingAttributes.CHUNKS, (long) chunkRecords);
        SpanData process = awaitSpan("process llm.requests", id);
        assertThat(spanUnder("llm_gateway_process", process)).as("the model's pieces, counted as before")
                .hasAttribute(StreamingAttributes.CHUNKS, (long) pieces.length);
    }

    @Test
    void aRequestWithoutTheHeaderStillGetsOneReply() throws Exception {
        MODEL.willReply(Reply.completion("One whole answer"));
        String id = "whole-" + UUID.randomUUID();

        KafkaTestClients.send(brokers, new ProducerRecord<>("llm.requests", 1, id, utf8("{\"text\":\"whole please\"}")));

        KafkaTestClients.awaitCommittedToTheEnd(brokers, "llm-gateway", "llm.requests", 1);
        List<ConsumerRecord<String, byte[]>> replies = repliesTo(id);
        assertThat(replies).hasSize(1);
        assertThat(json(replies.getFirst()).path("response").asString()).isEqualTo("One whole answer");
        assertThat(replies.getFirst().headers().lastHeader(StreamHeaders.LAST)).isNull();
        assertThat(replies.getFirst().headers().lastHeader(StreamHeaders.CHUNK_SEQ)).isNull();
    }

    @Test
    void aCancelRecordStopsASlowStreamWhichEndsWith499AndBothRecordsAreCommitted() throws Exception {
        String[] pieces = IntStream.range(0, 40).mapToObj(index -> "w" + index + " ").toArray(String[]::new);
        MODEL.willReply(Reply.streamed(pieces).paced(Duration.ofMillis(100)));
        int cutShortBefore = MODEL.streamsCutShort();
        String id = "cancel-" + UUID.randomUUID();
        int partition = 2;

        KafkaTestClients.send(brokers, streamRequest(partition, id, "go slowly"));
        await("the first chunk").atMost(Duration.ofSeconds(30)).until(() -> !repliesTo(id).isEmpty());
        var cancel = new ProducerRecord<>("llm.requests", partition, id, utf8("{}"));
        cancel.headers().add("kafka_correlationId", utf8(id));
        cancel.headers().add(StreamHeaders.CANCEL_TOKEN, tokenOf(id));
        StreamHeaders.set(cancel.headers(), StreamHeaders.CANCEL);
        KafkaTestClients.send(brokers, cancel);

        List<ConsumerRecord<String, byte[]>> records = awaitLastRecord(id);
        ConsumerRecord<String, byte[]> last = records.getLast();
        assertThat(json(last).path("error").asString()).isEqualTo("Cancelled by the caller");
        assertThat(json(last).path("status").asInt()).isEqualTo(499);
        int chunks = records.size() - 1;
        assertThat(chunks).isBetween(1, 39);
        assertThat(header(last, StreamHeaders.CHUNK_SEQ)).isEqualTo(Integer.toString(chunks));
        assertThat(MODEL.streamsCutShort()).as("the model server saw its connection closed early").isGreaterThan(cutShortBefore);
        KafkaTestClients.awaitCommittedToTheEnd(brokers, "llm-gateway", "llm.requests", partition);
        assertThat(records.stream().filter(record -> record.headers().lastHeader(StreamHeaders.LAST) != null)).hasSize(1);

        SpanData process = awaitSpan("process llm.requests", id);
        assertThat(spanUnder("llm_gateway_process", process)).hasStatus(StatusData.unset())
                .hasAttribute(StreamingAttributes.OUTCOME, "cancelled");
        assertThat(awaitSpan("send llm.replies", id)).hasStatus(StatusData.unset());
        assertThat(spans.getFinishedSpanItems()).filteredOn(span -> span.getName().equals("process llm.requests"))
                .filteredOn(span -> id.equals(conversation(span))).as("the cancel record is not processed as a request").hasSize(1);
    }

    /**
     * A third party that read the correlation id and key off a reply (they are on every reply record)
     * but not the request's cancel token cancels nothing, nor does one with the token but another key or
     * reply topic. The token is on no reply.
     */
    @Test
    void aCancelThatDoesNotMatchTheRequestsKeyAndReplyTopicStopsNothing() throws Exception {
        String[] pieces = IntStream.range(0, 10).mapToObj(index -> "p" + index + " ").toArray(String[]::new);
        MODEL.willReply(Reply.streamed(pieces).paced(Duration.ofMillis(100)));
        String id = "forged-cancel-" + UUID.randomUUID();
        int partition = 1;

        KafkaTestClients.send(brokers, streamRequest(partition, id, "do not stop"));
        await("the first chunk").atMost(Duration.ofSeconds(30)).until(() -> !repliesTo(id).isEmpty());
        var withoutKey = new ProducerRecord<String, byte[]>("llm.requests", partition, null, utf8("{}"));
        var otherKey = new ProducerRecord<>("llm.requests", partition, "someone-else", utf8("{}"));
        var otherReplyTopic = new ProducerRecord<>("llm.requests", partition, id, utf8("{}"));
        otherReplyTopic.headers().add("kafka_replyTopic", utf8("llm.replies.client"));
        var noToken = new ProducerRecord<>("llm.requests", partition, id, utf8("{}"));
        var wrongToken = new ProducerRecord<>("llm.requests", partition, id, utf8("{}"));
        wrongToken.headers().add(StreamHeaders.CANCEL_TOKEN, StreamHeaders.newCancelToken());
        for (var withToken : List.of(withoutKey, otherKey, otherReplyTopic)) {
            withToken.headers().add(StreamHeaders.CANCEL_TOKEN, tokenOf(id));
        }
        for (var forged : List.of(withoutKey, otherKey, otherReplyTopic, noToken, wrongToken)) {
            forged.headers().add("kafka_correlationId", utf8(id));
            StreamHeaders.set(forged.headers(), StreamHeaders.CANCEL);
            KafkaTestClients.send(brokers, forged);
        }

        List<ConsumerRecord<String, byte[]>> records = awaitLastRecord(id);
        assertThat(records).allSatisfy(record -> assertThat(record.headers().lastHeader(StreamHeaders.CANCEL_TOKEN))
                .as("the token is never copied onto a reply").isNull());
        assertThat(json(records.getLast()).path("response").asString()).isEqualTo(String.join("", pieces));
        assertThat(records).as("every chunk and the last record").hasSize(pieces.length + 1);
        KafkaTestClients.awaitCommittedToTheEnd(brokers, "llm-gateway", "llm.requests", partition);
    }

    private ProducerRecord<String, byte[]> streamRequest(int partition, String id, String text) {
        var request = new ProducerRecord<>("llm.requests", partition, id, utf8("{\"text\":\"" + text + "\"}"));
        request.headers().add("kafka_correlationId", utf8(id));
        request.headers().add("traceparent", utf8(TRACEPARENT));
        request.headers().add(StreamHeaders.CANCEL_TOKEN, tokenOf(id));
        StreamHeaders.set(request.headers(), StreamHeaders.STREAM);
        return request;
    }

    /** The sender's secret for stream {@code id} (the application draws a random one per request). */
    private static byte[] tokenOf(String id) {
        return utf8(UUID.nameUUIDFromBytes(utf8("token " + id)).toString().replace("-", ""));
    }

    /** The reply records of {@code id} in offset order, once the last one is there. */
    private List<ConsumerRecord<String, byte[]>> awaitLastRecord(String id) {
        return await("the last record of " + id).atMost(Duration.ofSeconds(30)).until(() -> repliesTo(id),
                found -> found.stream().anyMatch(record -> StreamHeaders.isSet(record.headers(), StreamHeaders.LAST)));
    }

    private List<ConsumerRecord<String, byte[]>> repliesTo(String id) {
        return readAll(brokers, "llm.replies").stream().filter(record -> id.equals(header(record, "kafka_correlationId")))
                .sorted(Comparator.comparingLong(ConsumerRecord::offset)).toList();
    }

    private SpanData awaitSpan(String name, String id) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> spans.getFinishedSpanItems().stream()
                .filter(span -> span.getName().equals(name) && id.equals(conversation(span))).findFirst(),
                java.util.Optional::isPresent).orElseThrow();
    }

    private SpanData spanUnder(String name, SpanData parent) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> spans.getFinishedSpanItems().stream()
                .filter(span -> span.getName().equals(name) && span.getParentSpanId().equals(parent.getSpanId())).findFirst(),
                java.util.Optional::isPresent).orElseThrow();
    }

    private static String conversation(SpanData span) {
        return span.getAttributes().asMap().entrySet().stream()
                .filter(entry -> entry.getKey().getKey().equals("messaging.message.conversation_id"))
                .map(entry -> entry.getValue().toString()).findFirst().orElse(null);
    }

    private static JsonNode json(ConsumerRecord<String, byte[]> record) {
        return JSON.readTree(new String(record.value(), StandardCharsets.UTF_8));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
