package io.ctxprop.gateway.kafka;

import static io.ctxprop.telemetry.testing.KafkaTestClients.header;
import static io.ctxprop.telemetry.testing.KafkaTestClients.headerCount;
import static io.ctxprop.telemetry.testing.KafkaTestClients.readAll;
import static io.ctxprop.telemetry.testing.KafkaTestClients.topicExists;
import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.doCallRealMethod;
import static org.mockito.Mockito.doThrow;

import io.ctxprop.telemetry.propagation.TraceContextProblem;
import io.ctxprop.telemetry.testing.InMemoryTracing;
import io.ctxprop.telemetry.testing.KafkaTestClients;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;

/**
 * On a real (in-process KRaft) broker that creates topics on demand: every request record ends,
 * answered or dead-lettered with its reason, and its partition's committed offset moves past it,
 * read back from the group with an AdminClient. Broken trace headers never cost a request.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.kafka.listener.auto-startup=true", "spring.kafka.admin.auto-create=true", "openai.api-key=", "openai.base-url=",
        "llm.kafka.listener.backoff=20ms", "llm.kafka.listener.max-backoff=40ms"})
@EmbeddedKafka(partitions = 6, topics = {"llm.requests", "llm.replies", "llm.requests-dlt"},
        bootstrapServersProperty = "spring.kafka.bootstrap-servers", brokerProperties = "auto.create.topics.enable=true")
@Import(InMemoryTracing.class)
class EveryRecordEndsTest {

    static final String CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String TRACEPARENT = "00-" + CALLER_TRACE + "-00f067aa0ba902b7-01";

    @Value("${spring.kafka.bootstrap-servers}")
    String brokers;

    @Autowired
    InMemorySpanExporter spans;

    @MockitoSpyBean
    ReplySender replies;

    String run;

    @BeforeEach
    void newRun() {
        run = UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aReplyPartitionOfMinusOneIsDeadLetteredAndThePartitionMovesOn() throws Exception {
        assertHostileRoutingEnds(0, withHeader(request("minus-one"), "kafka_replyPartition", ByteBuffer.allocate(4).putInt(-1).array()),
                "invalid-reply-partition");
    }

    @Test
    void aReplyPartitionTheTopicDoesNotHaveIsDeadLetteredAndThePartitionMovesOn() throws Exception {
        assertHostileRoutingEnds(1, withHeader(request("ninety-nine"), "kafka_replyPartition", ByteBuffer.allocate(4).putInt(99).array()),
                "invalid-reply-partition");
    }

    @Test
    void aReplyTopicThatDoesNotExistIsDeadLetteredNeverCreated() throws Exception {
        String madeUp = "llm.replies.made-up-" + run;
        assertHostileRoutingEnds(2, withHeader(request("unknown-topic"), "kafka_replyTopic", madeUp.getBytes(StandardCharsets.UTF_8)),
                "unknown-reply-topic");
        assertThat(topicExists(brokers, madeUp)).as("created on a client's say-so").isFalse();
    }

    /**
     * A request naming the request topic, the DLT or any topic off the allow-list as its reply topic,
     * plain or streamed: one dead letter {@code reply-topic-not-allowed}, the model never asked, and
     * nothing else written anywhere (the named topic gets nothing, "other" is not even created).
     */
    @Test
    void aReplyTopicOffTheAllowListIsOneDeadLetterAndNothingElseIsWritten() throws Exception {
        String other = "other-" + run;
        List<ProducerRecord<String, byte[]>> hostile = new ArrayList<>();
        for (String topic : List.of("llm.requests", "llm.requests-dlt", other)) {
            for (boolean streamed : List.of(false, true)) {
                var record = withHeader(request("reply-to-" + topic + (streamed ? "-streamed" : "")), "kafka_replyTopic", utf8(topic));
                record.headers().add("kafka_correlationId", utf8(record.key()));
                if (streamed) {
                    record.headers().add("ctxprop-stream", utf8("true"));
                }
                hostile.add(record);
            }
        }
        KafkaTestClients.sendAll(brokers, hostile);

        for (var record : hostile) {
            var deadLetter = awaitDeadLetter(record.key());
            assertThat(header(deadLetter, "dlt-reason")).as(record.key()).isEqualTo("reply-topic-not-allowed");
        }
        KafkaTestClients.awaitCommittedToTheEnd(brokers, "llm-gateway", "llm.requests");
        var keys = hostile.stream().map(ProducerRecord::key).toList();
        assertThat(readAll(brokers, "llm.requests-dlt")).filteredOn(record -> keys.contains(record.key())).as("one dead letter each")
                .hasSize(hostile.size()).allSatisfy(record -> assertThat(header(record, "dlt-reason")).isNotNull());
        assertThat(readAll(brokers, "llm.requests")).filteredOn(record -> keys.contains(record.key())).as("only the requests themselves")
                .hasSize(hostile.size());
        assertThat(readAll(brokers, "llm.replies")).noneMatch(record -> keys.contains(String.valueOf(header(record, "kafka_correlationId"))));
        assertThat(topicExists(brokers, other)).as("never written, so never created").isFalse();
        for (String key : keys) {
            String trace = processSpan(key).getTraceId();
            assertThat(spans.getFinishedSpanItems()).as("the model was never asked for " + key)
                    .noneMatch(span -> span.getName().equals("llm_gateway_process") && span.getTraceId().equals(trace));
        }
    }

    @Test
    void aReplySendThatKeepsFailingIsRetriedThenDeadLetteredAndCommitted() throws Exception {
        doThrow(new KafkaException("injected send failure"))
                .when(replies).send(argThat(request -> request != null && request.text().startsWith("explode")), any());
        int partition = 3;
        var hostile = request("explode");
        send(partition, hostile, 5);

        var deadLetter = awaitDeadLetter(hostile.key());
        assertThat(header(deadLetter, "dlt-reason")).isEqualTo("processing-failed");
        assertThat(header(deadLetter, "dlt-reason-detail")).contains(KafkaException.class.getName());
        assertThat(header(deadLetter, "kafka_dlt-exception-fqcn")).isEqualTo(KafkaException.class.getName());
        assertThat(headerCount(deadLetter, "traceparent")).isEqualTo(1);
        awaitCommittedToTheEnd(partition);
        SpanData process = processSpan(hostile.key());
        assertThat(process).hasStatusSatisfying(status -> status.hasCode(StatusCode.ERROR));
        assertThat(process.getEvents()).filteredOn(event -> event.getName().equals("retry reply")).hasSize(2);
    }

    @Test
    void aReplySendThatFailsTwiceIsAnsweredOnTheThirdTryAndNotDeadLettered() throws Exception {
        doThrow(new KafkaException("first")).doThrow(new KafkaException("second")).doCallRealMethod()
                .when(replies).send(argThat(request -> request != null && request.text().startsWith("flaky")), any());
        int partition = 4;
        var flaky = request("flaky");
        send(partition, flaky, 3);

        awaitCommittedToTheEnd(partition);
        List<ConsumerRecord<String, byte[]>> answers = repliesTo(flaky.key());
        assertThat(answers).hasSize(1);
        assertThat(new String(answers.getFirst().value(), StandardCharsets.UTF_8)).contains("\"response\"");
        assertThat(readAll(brokers, "llm.requests-dlt")).noneMatch(record -> flaky.key().equals(record.key()));
    }

    @Test
    void aDeadLetterTooLargeToWriteWholeIsWrittenWithoutTheValueKeepingTheRequestsHeaders() throws Exception {
        int partition = 5;
        String key = run + "-huge";
        // 2 MB of text, gzipped by the sender: the broker takes it, the gateway's own (uncompressed)
        // producer cannot send it back whole: the dead letter goes without its value
        var huge = new ProducerRecord<>("llm.requests", partition, key, utf8("x".repeat(2_000_000)));
        huge.headers().add("kafka_correlationId", utf8("corr-" + key));
        huge.headers().add("traceparent", utf8(TRACEPARENT));
        huge.headers().add("x-tenant", utf8("acme"));
        long offset = sendCompressed(huge);

        var deadLetter = awaitDeadLetter(key);
        assertThat(header(deadLetter, "dlt-reason")).isEqualTo("text-too-large");
        assertThat(header(deadLetter, "dlt-value-dropped")).isEqualTo("true");
        assertThat(ByteBuffer.wrap(deadLetter.headers().lastHeader("kafka_dlt-original-offset").value()).getLong())
                .as("where the request can still be found").isEqualTo(offset);
        assertThat(deadLetter.value()).isEmpty();
        assertThat(header(deadLetter, "kafka_correlationId")).isEqualTo("corr-" + key);
        assertThat(header(deadLetter, "dlt-original-traceparent")).isEqualTo(TRACEPARENT);
        assertThat(header(deadLetter, "traceparent")).as("the dead letter continues the caller's trace").contains(CALLER_TRACE);
        assertThat(headerCount(deadLetter, "traceparent")).isEqualTo(1);
        assertThat(header(deadLetter, "x-tenant")).isEqualTo("acme");
        assertThat(deadLetter.headers().lastHeader("dlt-headers-dropped")).as("nothing had to go but the value").isNull();
        awaitCommittedToTheEnd(partition);
    }

    @Test
    void aHeaderTooLargeForTheDeadLetterIsDroppedAloneAndNamed() throws Exception {
        int partition = 5;
        String key = run + "-bulky-header";
        // a small request with 1.5 MB in one header (gzipped by the sender): without its value the dead
        // letter is still too large for the gateway's producer, until that one header goes
        var bulky = new ProducerRecord<>("llm.requests", partition, key, utf8("{\"text\":\"\"}"));
        bulky.headers().add("kafka_correlationId", utf8("corr-" + key));
        bulky.headers().add("traceparent", utf8(TRACEPARENT));
        bulky.headers().add("x-bulk", utf8("y".repeat(1_500_000)));
        bulky.headers().add("x-tenant", utf8("acme"));
        sendCompressed(bulky);

        var deadLetter = awaitDeadLetter(key);
        assertThat(header(deadLetter, "dlt-reason")).isEqualTo("missing-text");
        assertThat(header(deadLetter, "dlt-value-dropped")).isEqualTo("true");
        assertThat(header(deadLetter, "dlt-headers-dropped")).isEqualTo("x-bulk");
        assertThat(deadLetter.headers().lastHeader("x-bulk")).isNull();
        assertThat(header(deadLetter, "kafka_correlationId")).isEqualTo("corr-" + key);
        assertThat(header(deadLetter, "dlt-original-traceparent")).isEqualTo(TRACEPARENT);
        assertThat(header(deadLetter, "x-tenant")).isEqualTo("acme");
        awaitCommittedToTheEnd(partition);
    }

    /**
     * A request that carries its own dead-letter headers (a 1.5 MB {@code kafka_dlt-original-offset}, a
     * {@code kafka_dlt-original-topic}, a {@code dlt-reason}) and a cancel token: none of them reaches the
     * dead letter, which has exactly one of each coordinate and reason, the genuine ones, and no token.
     */
    @Test
    void forgedDeadLetterHeadersAndTheCancelTokenNeverReachTheDeadLetter() throws Exception {
        int partition = 5;
        String key = run + "-forged-dlt";
        var forged = new ProducerRecord<>("llm.requests", partition, key, utf8("{\"text\":\"\"}"));
        forged.headers().add("kafka_correlationId", utf8("corr-" + key));
        forged.headers().add("kafka_dlt-original-offset", utf8("9".repeat(1_500_000)));
        forged.headers().add("kafka_dlt-original-topic", utf8("elsewhere"));
        forged.headers().add("dlt-reason", utf8("forged"));
        forged.headers().add("ctxprop-cancel-token", utf8("0123456789abcdef0123456789abcdef"));
        long offset = sendCompressed(forged);

        var deadLetter = awaitDeadLetter(key);
        assertThat(headerCount(deadLetter, "kafka_dlt-original-offset")).isEqualTo(1);
        assertThat(ByteBuffer.wrap(deadLetter.headers().lastHeader("kafka_dlt-original-offset").value()).getLong())
                .as("the genuine offset").isEqualTo(offset);
        assertThat(headerCount(deadLetter, "kafka_dlt-original-topic")).isEqualTo(1);
        assertThat(header(deadLetter, "kafka_dlt-original-topic")).isEqualTo("llm.requests");
        assertThat(headerCount(deadLetter, "dlt-reason")).isEqualTo(1);
        assertThat(header(deadLetter, "dlt-reason")).isEqualTo("missing-text");
        assertThat(deadLetter.headers().lastHeader("ctxprop-cancel-token")).as("a capability, not for the dead-letter readers").isNull();
        assertThat(header(deadLetter, "kafka_correlationId")).isEqualTo("corr-" + key);
        awaitCommittedToTheEnd(partition);
    }

    /** Sent gzipped with room for 4 MB: the broker takes what the gateway's own producer could not send back. */
    private long sendCompressed(ProducerRecord<String, byte[]> record) throws Exception {
        try (var producer = new KafkaProducer<String, byte[]>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "gzip", ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4_000_000,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            return producer.send(record).get().offset();
        }
    }

    @Test
    void brokenTraceHeadersAreAnsweredInANewTraceWithTheReasonOnTheSpan() throws Exception {
        var invalid = withHeader(request("invalid-traceparent"), "traceparent", "00-xyz-123-01".getBytes(StandardCharsets.UTF_8));
        var oversized = withHeader(request("oversized-traceparent"), "traceparent",
                ("01-" + CALLER_TRACE + "-00f067aa0ba902b7-01-" + "c".repeat(1000)).getBytes(StandardCharsets.UTF_8));
        var duplicated = withHeader(withHeader(request("duplicate-traceparent"), "traceparent", utf8(TRACEPARENT)), "traceparent", utf8(TRACEPARENT));
        var badBaggage = withHeader(withHeader(request("invalid-baggage"), "traceparent", utf8(TRACEPARENT)), "baggage",
                utf8("k=v,".repeat(200)));
        var notUtf8State = withHeader(withHeader(request("invalid-tracestate"), "traceparent", utf8(TRACEPARENT)), "tracestate",
                new byte[] {(byte) 0xc3, (byte) 0x28, (byte) 0xa0});
        KafkaTestClients.sendAll(brokers, List.of(invalid, oversized, duplicated, badBaggage, notUtf8State));

        for (var brokenTrace : List.of(invalid, oversized, duplicated)) {
            assertThat(repliesTo(brokenTrace.key())).as(brokenTrace.key()).hasSize(1);
            SpanData process = processSpan(brokenTrace.key());
            assertThat(process).as(brokenTrace.key()).hasKind(SpanKind.CONSUMER).hasNoParent()
                    .hasAttribute(TraceContextProblem.ATTRIBUTE, List.of(reasonIn(brokenTrace.key())));
            assertThat(process.getTraceId()).isNotEqualTo(CALLER_TRACE);
            assertThat(process.getSpanContext().isValid()).isTrue();
        }
        for (var brokenBaggage : List.of(badBaggage, notUtf8State)) {
            assertThat(repliesTo(brokenBaggage.key())).as(brokenBaggage.key()).hasSize(1);
            assertThat(processSpan(brokenBaggage.key())).as("the caller's trace goes on").hasTraceId(CALLER_TRACE)
                    .hasParentSpanId("00f067aa0ba902b7")
                    .hasAttribute(TraceContextProblem.ATTRIBUTE, List.of(reasonIn(brokenBaggage.key())));
        }
        assertThat(readAll(brokers, "llm.requests-dlt")).noneMatch(record -> record.key() != null && record.key().startsWith(run));
    }

    /** The hostile record, then 30 valid ones, all on one partition. */
    private void assertHostileRoutingEnds(int partition, ProducerRecord<String, byte[]> hostile, String reason) throws Exception {
        List<ProducerRecord<String, byte[]>> valid = send(partition, hostile, 30);

        var deadLetter = awaitDeadLetter(hostile.key());
        assertThat(header(deadLetter, "dlt-reason")).isEqualTo(reason);
        assertThat(headerCount(deadLetter, "traceparent")).as("exactly one traceparent").isEqualTo(1);
        awaitCommittedToTheEnd(partition);
        // committed means answered: a reply is on the broker before its request is acknowledged
        Map<String, List<ConsumerRecord<String, byte[]>>> answered = readAll(brokers, "llm.replies").stream()
                .collect(Collectors.groupingBy(record -> String.valueOf(header(record, "kafka_correlationId"))));
        for (var request : valid) {
            List<ConsumerRecord<String, byte[]>> answers = answered.getOrDefault(request.key(), List.of());
            assertThat(answers).as(request.key()).hasSize(1);
            assertThat(headerCount(answers.getFirst(), "traceparent")).as("exactly one traceparent").isEqualTo(1);
        }
    }

    private List<ProducerRecord<String, byte[]>> send(int partition, ProducerRecord<String, byte[]> first, int validAfter) throws Exception {
        List<ProducerRecord<String, byte[]>> all = new ArrayList<>();
        all.add(new ProducerRecord<>("llm.requests", partition, first.key(), first.value(), first.headers()));
        List<ProducerRecord<String, byte[]>> valid = new ArrayList<>();
        for (int i = 0; i < validAfter; i++) {
            var request = request("valid-" + i);
            valid.add(request);
            all.add(new ProducerRecord<>("llm.requests", partition, request.key(), request.value()));
        }
        KafkaTestClients.sendAll(brokers, all);
        return valid;
    }

    private void awaitCommittedToTheEnd(int partition) throws Exception {
        KafkaTestClients.awaitCommittedToTheEnd(brokers, "llm-gateway", "llm.requests", partition);
    }

    private ConsumerRecord<String, byte[]> awaitDeadLetter(String key) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> readAll(brokers, "llm.requests-dlt").stream()
                .filter(record -> key.equals(record.key())).toList(), found -> !found.isEmpty()).getFirst();
    }

    /** The replies with this correlation id, once there is one (any second one would have been written before it was acknowledged). */
    private List<ConsumerRecord<String, byte[]>> repliesTo(String correlationId) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> readAll(brokers, "llm.replies").stream()
                .filter(record -> correlationId.equals(header(record, "kafka_correlationId"))).toList(), found -> !found.isEmpty());
    }

    private SpanData processSpan(String conversationId) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> spans.getFinishedSpanItems().stream()
                .filter(span -> span.getName().equals("process llm.requests"))
                .filter(span -> conversationId.equals(span.getAttributes().asMap().entrySet().stream()
                        .filter(entry -> entry.getKey().getKey().equals("messaging.message.conversation_id"))
                        .map(entry -> entry.getValue().toString()).findFirst().orElse(null)))
                .findFirst(), java.util.Optional::isPresent).orElseThrow();
    }

    /** The reason each broken-header request is named after. */
    private String reasonIn(String key) {
        return key.substring(run.length() + 1, key.lastIndexOf('-'));
    }

    private ProducerRecord<String, byte[]> request(String name) {
        String key = run + "-" + name + "-" + UUID.randomUUID().toString().substring(0, 4);
        return new ProducerRecord<>("llm.requests", key, utf8("{\"text\":\"" + name + " " + key + "\"}"));
    }

    private static ProducerRecord<String, byte[]> withHeader(ProducerRecord<String, byte[]> record, String name, byte[] value) {
        record.headers().add(name, value);
        return record;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
