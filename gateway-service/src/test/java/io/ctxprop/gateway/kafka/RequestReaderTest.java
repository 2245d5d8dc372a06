package io.ctxprop.gateway.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

/** Which request records are answered, and why the others go to the dead-letter topic. */
class RequestReaderTest {

    static final String VALID_TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    private static final List<String> NEVER = List.of("llm.requests", "llm.requests-dlt");

    private final RequestReader reader = new RequestReader(JsonMapper.shared(), "llm.replies",
            new ReplyTopicAllowList(List.of("llm.replies", "llm.replies.*", "my.replies"), NEVER), 100);

    @Test
    void readsTheJsonTextWithTheCallersCorrelationAndReplyTopic() {
        var record = record("{\"text\":\"hello\"}", "key-1");
        record.headers().add("kafka_correlationId", "corr-7".getBytes(StandardCharsets.UTF_8));
        record.headers().add("kafka_replyTopic", "my.replies".getBytes(StandardCharsets.UTF_8));
        record.headers().add("kafka_replyPartition", ByteBuffer.allocate(4).putInt(3).array());
        record.headers().add("traceparent", VALID_TRACEPARENT.getBytes(StandardCharsets.UTF_8));

        KafkaRequest request = reader.read(record);

        assertThat(request.text()).isEqualTo("hello");
        assertThat(new String(request.correlationId(), StandardCharsets.UTF_8)).isEqualTo("corr-7");
        assertThat(request.replyTopic()).isEqualTo("my.replies");
        assertThat(request.replyPartition()).isEqualTo(3);
    }

    @Test
    void aScriptsPlainTextRecordWithoutHeadersIsAnsweredOnTheDefaultTopicUnderItsKey() {
        KafkaRequest request = reader.read(record("just some text\nover two lines", "script-42"));

        assertThat(request.text()).isEqualTo("just some text\nover two lines");
        assertThat(new String(request.correlationId(), StandardCharsets.UTF_8)).isEqualTo("script-42");
        assertThat(request.replyTopic()).isEqualTo("llm.replies");
        assertThat(request.replyPartition()).isNull();
    }

    @Test
    void withoutKeyOrCorrelationIdAnIdIsGenerated() {
        assertThat(new String(reader.read(record("text", null)).correlationId(), StandardCharsets.UTF_8))
                .matches("[0-9a-f-]{36}");
    }

    @Test
    void emptyAndNullValuesArePoison() {
        assertPoison(new ConsumerRecord<>("llm.requests", 0, 0L, null, (byte[]) null), PoisonReason.EMPTY_VALUE);
        assertPoison(record("", null), PoisonReason.EMPTY_VALUE);
    }

    @Test
    void binaryAndBrokenJsonArePoison() {
        assertPoison(new ConsumerRecord<>("llm.requests", 0, 0L, null, new byte[] {(byte) 0xff, (byte) 0xfe, 0x00}),
                PoisonReason.UNDESERIALIZABLE_VALUE);
        assertPoison(record("binary\u0000inside", null), PoisonReason.UNDESERIALIZABLE_VALUE);
        assertPoison(record("{\"text\": \"unterminated", null), PoisonReason.UNDESERIALIZABLE_VALUE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"text\": 42}", "{\"text\": null}", "{\"text\": \"   \"}", "{\"prompt\": \"hi\"}", "   "})
    void aMissingTextIsPoison(String value) {
        assertPoison(record(value, null), PoisonReason.MISSING_TEXT);
    }

    @Test
    void anOversizedTextIsPoison() {
        assertPoison(record("x".repeat(101), null), PoisonReason.TEXT_TOO_LARGE);
    }

    @Test
    void brokenTraceHeadersAreNotTheReadersBusiness() {
        var record = record("hi", null);
        record.headers().add("traceparent", "garbage".getBytes(StandardCharsets.UTF_8));
        record.headers().add("traceparent", VALID_TRACEPARENT.getBytes(StandardCharsets.UTF_8));
        record.headers().add("tracestate", new byte[] {(byte) 0xc3, (byte) 0x28});
        record.headers().add("baggage", "k=v,".repeat(181).getBytes(StandardCharsets.UTF_8));

        assertThat(reader.read(record).text()).as("answered; the trace headers are dealt with by KafkaTracing").isEqualTo("hi");
    }

    @Test
    void aNegativeReplyPartitionIsPoison() {
        var record = record("hi", null);
        record.headers().add("kafka_replyPartition", new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff});
        assertPoison(record, PoisonReason.INVALID_REPLY_PARTITION);
    }

    @Test
    void garbageHeadersArePoison() {
        var notUtf8 = record("hi", null);
        notUtf8.headers().add("kafka_replyTopic", new byte[] {(byte) 0xc3, (byte) 0x28});
        assertPoison(notUtf8, PoisonReason.GARBAGE_HEADER);

        var badTopic = record("hi", null);
        badTopic.headers().add("kafka_replyTopic", "no spaces allowed!".getBytes(StandardCharsets.UTF_8));
        assertPoison(badTopic, PoisonReason.GARBAGE_HEADER);

        var badPartition = record("hi", null);
        badPartition.headers().add("kafka_replyPartition", new byte[] {1, 2});
        assertPoison(badPartition, PoisonReason.GARBAGE_HEADER);
    }

    @ParameterizedTest
    @ValueSource(strings = {"llm.requests", "llm.requests-dlt", "__consumer_offsets", "other", "llm.replies.", "llm.repliesX",
            "llm.replies-dlt", "xllm.replies"})
    void aReplyTopicOffTheAllowListIsPoison(String topic) {
        var record = record("hi", null);
        record.headers().add("kafka_replyTopic", topic.getBytes(StandardCharsets.UTF_8));
        assertPoison(record, PoisonReason.REPLY_TOPIC_NOT_ALLOWED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"llm.replies", "llm.replies.client", "llm.replies.client-7f3a", "my.replies"})
    void aReplyTopicOnTheAllowListIsRead(String topic) {
        var record = record("hi", null);
        record.headers().add("kafka_replyTopic", topic.getBytes(StandardCharsets.UTF_8));
        assertThat(reader.read(record).replyTopic()).isEqualTo(topic);
    }

    @Test
    void theDefaultListIsTheRepliesTopicAndItsDottedFamily() {
        var defaults = new ReplyTopicAllowList(List.of("llm.replies", "llm.replies.*"), NEVER);
        assertThat(defaults.allows("llm.replies")).isTrue();
        assertThat(defaults.allows("llm.replies.client")).isTrue();
        assertThat(defaults.allows("llm.requests")).isFalse();
        assertThat(defaults.toString()).isEqualTo("llm.replies,llm.replies.*");
    }

    /** The default reply topic is the gateway's own setting: a record that names none is answered there, list or not. */
    @Test
    void aRecordWithoutAReplyTopicIsAnsweredOnTheDefaultEvenWhenTheListDoesNotHoldIt() {
        var narrow = new RequestReader(JsonMapper.shared(), "llm.replies", new ReplyTopicAllowList(List.of("my.replies"), NEVER), 100);

        assertThat(narrow.read(record("hi", "script-1")).replyTopic()).isEqualTo("llm.replies");
        var named = record("hi", null);
        named.headers().add("kafka_replyTopic", "llm.replies".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> narrow.read(named)).as("named in the header, it is checked").isInstanceOf(PoisonRecord.class);
    }

    /** A broad entry must not admit the gateway's own request and dead-letter topics nor internal ones. */
    @ParameterizedTest
    @ValueSource(strings = {"llm.requests", "llm.requests-dlt", "__consumer_offsets", "__transaction_state", "__anything"})
    void theRequestAndDeadLetterTopicsAndInternalTopicsAreRefusedWhateverTheListSays(String topic) {
        var broad = new ReplyTopicAllowList(List.of("llm.*", "__consumer_offsets", "llm.requests", "__transaction_state", "__anything",
                "llm.requests-dlt"), NEVER);
        var reader = new RequestReader(JsonMapper.shared(), "llm.replies", broad, 100);
        var record = record("hi", null);
        record.headers().add("kafka_replyTopic", topic.getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> reader.read(record)).isInstanceOfSatisfying(PoisonRecord.class,
                poison -> assertThat(poison.reason()).isEqualTo(PoisonReason.REPLY_TOPIC_NOT_ALLOWED));
        assertThat(broad.allows("llm.replies.client")).as("the rest of the broad entry still counts").isTrue();
    }

    private void assertPoison(ConsumerRecord<String, byte[]> record, PoisonReason reason) {
        assertThatThrownBy(() -> reader.read(record)).isInstanceOfSatisfying(PoisonRecord.class,
                poison -> assertThat(poison.reason()).isEqualTo(reason));
    }

    private static ConsumerRecord<String, byte[]> record(String value, String key) {
        return new ConsumerRecord<>("llm.requests", 0, 0L, key, value.getBytes(StandardCharsets.UTF_8));
    }
}
