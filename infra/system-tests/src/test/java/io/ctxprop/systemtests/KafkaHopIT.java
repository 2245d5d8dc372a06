package io.ctxprop.systemtests;

import io.ctxprop.telemetry.testing.KafkaTestClients;

import static io.ctxprop.systemtests.Traces.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.ctxprop.telemetry.testing.ReceivedSpans.ReceivedSpan;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Kafka hop on a real broker, with both services as processes: the design's Kafka subtree in one
 * trace, both transports under one root, a bare producer's traceparent continued, poison dead-lettered.
 */
class KafkaHopIT {

    static Stack stack;
    static ServiceProcess gateway;
    static ServiceProcess application;

    @BeforeAll
    static void start() throws Exception {
        stack = new Stack();
        gateway = stack.gateway("gateway-service", Map.of());
        application = stack.application("application-service", gateway, Map.of());
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    @Test
    void answersOverKafkaInOneTraceWithTheDesignsSubtree() throws Exception {
        var response = ask(application, "{\"text\":\"Hello over Kafka\",\"transport\":\"kafka\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("\"transport\":\"kafka\"").contains("Offline model answer");
        String traceId = traceIdOf(response.body());

        List<ReceivedSpan> trace = awaitTrace(stack.collector, traceId, 7);
        ReceivedSpan root = only(trace, "application_process_request");
        ReceivedSpan send = childOf(trace, root, "send llm.requests");
        ReceivedSpan process = childOf(trace, send, "process llm.requests");
        ReceivedSpan chain = childOf(trace, process, "llm_gateway_process");
        ReceivedSpan chat = childOf(trace, chain, "chat offline-echo");
        ReceivedSpan replySend = childOf(trace, process, "send llm.replies");
        ReceivedSpan replyProcess = childOf(trace, replySend, "process llm.replies");
        assertThat(trace).hasSize(7);

        assertThat(kind(send)).isEqualTo(SpanKind.SPAN_KIND_PRODUCER);
        assertThat(kind(process)).isEqualTo(SpanKind.SPAN_KIND_CONSUMER);
        assertThat(kind(replySend)).isEqualTo(SpanKind.SPAN_KIND_PRODUCER);
        assertThat(kind(replyProcess)).isEqualTo(SpanKind.SPAN_KIND_CONSUMER);
        assertThat(linkedSpanIds(process)).containsExactly(send.spanId());
        assertThat(linkedSpanIds(replyProcess)).containsExactly(replySend.spanId());
        assertThat(root.resourceAttribute("service.name")).contains("application-service");
        assertThat(replyProcess.resourceAttribute("service.name")).contains("application-service");
        assertThat(process.resourceAttribute("service.name")).contains("gateway-service");
        assertThat(chat.attribute("openinference.span.kind")).contains("LLM");
        assertThat(chain.attribute("openinference.span.kind")).contains("CHAIN");

        for (ReceivedSpan messaging : List.of(send, process, replySend, replyProcess)) {
            assertThat(messaging.attribute("messaging.system")).contains("kafka");
            assertThat(messaging.attribute("messaging.destination.partition.id")).hasValueSatisfying(value -> assertThat(value).matches("[0-5]"));
            assertThat(messaging.attribute("messaging.kafka.offset")).hasValueSatisfying(value -> assertThat(value).matches("int_value: \\d+"));
            assertThat(messaging.attribute("messaging.message.conversation_id")).hasValueSatisfying(value -> assertThat(value).matches("[0-9a-f-]{36}"));
        }
        assertThat(send.attribute("messaging.destination.name")).contains("llm.requests");
        assertThat(send.attribute("messaging.operation.type")).contains("send");
        assertThat(process.attribute("messaging.operation.type")).contains("process");
        assertThat(process.attribute("messaging.consumer.group.name")).contains("llm-gateway");
        assertThat(process.attribute("messaging.kafka.offset")).isEqualTo(send.attribute("messaging.kafka.offset"));
        assertThat(process.attribute("messaging.destination.partition.id")).isEqualTo(send.attribute("messaging.destination.partition.id"));
        assertThat(replyProcess.attribute("messaging.consumer.group.name")).hasValueSatisfying(value -> assertThat(value).matches("application-replies-.*"));
        assertThat(replyProcess.attribute("messaging.message.conversation_id")).isEqualTo(send.attribute("messaging.message.conversation_id"));
    }

    @Test
    void bothTransportsHangUnderOneRoot() throws Exception {
        var response = ask(application, "{\"text\":\"Both ways\",\"transport\":\"both\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("\"transport\":\"http\"").contains("\"transport\":\"kafka\"");

        List<ReceivedSpan> trace = awaitTrace(stack.collector, traceIdOf(response.body()), 10);
        ReceivedSpan root = only(trace, "application_process_request");
        ReceivedSpan httpClient = childOf(trace, root, "gateway_request");
        childOf(trace, childOf(trace, httpClient, "llm_gateway_process"), "chat offline-echo");
        ReceivedSpan send = childOf(trace, root, "send llm.requests");
        ReceivedSpan process = childOf(trace, send, "process llm.requests");
        childOf(trace, childOf(trace, process, "llm_gateway_process"), "chat offline-echo");
        childOf(trace, childOf(trace, process, "send llm.replies"), "process llm.replies");
        assertThat(trace).hasSize(10);
    }

    @Test
    void aBareProducersHandWrittenTraceparentIsContinued() throws Exception {
        String traceId = "5e1f0c0ffee0000000000000000c0ffe";
        var request = new ProducerRecord<String, byte[]>("llm.requests", "script-request-1", "hello from a script".getBytes(StandardCharsets.UTF_8));
        request.headers().add("traceparent", ("00-" + traceId + "-00000000000000aa-01").getBytes(StandardCharsets.UTF_8));

        KafkaTestClients.send(stack.broker.getBrokersAsString(), request);

        ConsumerRecord<String, byte[]> reply = KafkaTestClients.awaitRecords(stack.broker.getBrokersAsString(), "llm.replies",
                List.of(record -> "script-request-1".equals(KafkaTestClients.header(record, "kafka_correlationId")))).getFirst();
        assertThat(new String(reply.value(), StandardCharsets.UTF_8)).contains("\"response\":\"Offline model answer").contains("\"model\":\"offline-echo\"");
        assertThat(KafkaTestClients.header(reply, "traceparent")).startsWith("00-" + traceId + "-");
        ReceivedSpan process = only(awaitTrace(stack.collector, traceId, 4), "process llm.requests");
        assertThat(process.parentSpanId()).isEqualTo("00000000000000aa");
    }

    @Test
    void poisonGoesToTheDeadLetterTopicWithItsReasonAndTheNextRecordIsAnswered() throws Exception {
        String brokers = stack.broker.getBrokersAsString();
        String validTrace = "00-6e0c63257de34c926f9efcd03927272e-00f067aa0ba902b7-01";
        Map<String, String> expectedReasons = new LinkedHashMap<>();
        List<ProducerRecord<String, byte[]>> poison = new ArrayList<>();
        poison.add(poison("poison-empty", new byte[0], expectedReasons, "empty-value"));
        poison.add(poison("poison-binary", new byte[] {(byte) 0xff, 0x00, (byte) 0xfe}, expectedReasons, "undeserializable-value"));
        poison.add(poison("poison-no-text", "{\"prompt\":\"hi\"}".getBytes(StandardCharsets.UTF_8), expectedReasons, "missing-text"));
        var noSuchPartition = poison("poison-reply-partition", "hi".getBytes(StandardCharsets.UTF_8), expectedReasons, "invalid-reply-partition");
        noSuchPartition.headers().add("kafka_replyPartition", new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff});
        poison.add(noSuchPartition);
        var noSuchTopic = poison("poison-reply-topic", "hi".getBytes(StandardCharsets.UTF_8), expectedReasons, "unknown-reply-topic");
        noSuchTopic.headers().add("kafka_replyTopic", "llm.replies.nobody-listens".getBytes(StandardCharsets.UTF_8));
        poison.add(noSuchTopic);
        var garbage = poison("poison-garbage-header", "hi".getBytes(StandardCharsets.UTF_8), expectedReasons, "garbage-header");
        garbage.headers().add("traceparent", validTrace.getBytes(StandardCharsets.UTF_8));
        garbage.headers().add("kafka_replyTopic", new byte[] {(byte) 0xc3, (byte) 0x28});
        poison.add(garbage);
        for (var record : poison) {
            KafkaTestClients.send(brokers, record);
        }
        KafkaTestClients.send(brokers, new ProducerRecord<>("llm.requests", "after-the-poison", "still answered?".getBytes(StandardCharsets.UTF_8)));

        List<Predicate<ConsumerRecord<String, byte[]>>> deadLetters = expectedReasons.keySet().stream()
                .<Predicate<ConsumerRecord<String, byte[]>>>map(key -> record -> key.equals(record.key())).toList();
        var dead = KafkaTestClients.awaitRecords(brokers, "llm.requests-dlt", deadLetters);
        var keys = new ArrayList<>(expectedReasons.keySet());
        for (int i = 0; i < dead.size(); i++) {
            assertThat(KafkaTestClients.header(dead.get(i), "dlt-reason")).as(keys.get(i)).isEqualTo(expectedReasons.get(keys.get(i)));
            assertThat(KafkaTestClients.header(dead.get(i), "dlt-reason-detail")).isNotBlank();
            assertThat(KafkaTestClients.header(dead.get(i), "kafka_dlt-original-topic")).isEqualTo("llm.requests");
            assertThat(KafkaTestClients.header(dead.get(i), "traceparent")).as("a dead letter carries a trace").matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[0-3]");
            assertThat(KafkaTestClients.headerCount(dead.get(i), "traceparent")).as("exactly one traceparent").isEqualTo(1);
        }
        var garbageDead = dead.get(keys.indexOf("poison-garbage-header"));
        assertThat(KafkaTestClients.header(garbageDead, "traceparent")).as("a valid trace is kept").startsWith("00-6e0c63257de34c926f9efcd03927272e-");
        assertThat(KafkaTestClients.header(garbageDead, "dlt-original-traceparent")).as("the sender's own, for whoever looks into it").isEqualTo(validTrace);
        assertThat(KafkaTestClients.topicExists(brokers, "llm.replies.nobody-listens")).as("never created on a client's say-so").isFalse();

        var reply = KafkaTestClients.awaitRecords(brokers, "llm.replies",
                List.of(record -> "after-the-poison".equals(KafkaTestClients.header(record, "kafka_correlationId")))).getFirst();
        assertThat(new String(reply.value(), StandardCharsets.UTF_8)).contains("Offline model answer");
    }

    private static ProducerRecord<String, byte[]> poison(String key, byte[] value, Map<String, String> expected, String reason) {
        expected.put(key, reason);
        return new ProducerRecord<>("llm.requests", key, value);
    }
}
