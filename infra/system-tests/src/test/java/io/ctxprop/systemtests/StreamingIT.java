package io.ctxprop.systemtests;

import static io.ctxprop.systemtests.StreamingClient.field;
import static io.ctxprop.systemtests.Traces.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ctxprop.telemetry.streaming.EventStreamReader.Event;
import io.ctxprop.telemetry.streaming.StreamHeaders;
import io.ctxprop.telemetry.testing.ReceivedSpans.ReceivedSpan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Streamed answers end to end, both services as processes on a real broker, the model a stub that
 * streams: the chunks of each transport arrive in order and add up to the answer, in one trace with
 * the spans of a plain request; chunk records written twice are dropped; a model that stalls
 * mid-stream is an error event and an ERROR span; a reader who leaves mid-stream stops the model call
 * over either transport, and the gateway's threads and file descriptors come back to where they were.
 */
class StreamingIT {

    static Stack stack;
    static StreamingModelStub model;
    static ServiceProcess gateway;
    static ServiceProcess application;
    static final AtomicInteger REQUESTS = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        stack = new Stack();
        model = new StreamingModelStub();
        gateway = stack.gateway("gateway-streaming", Map.of("OPENAI_BASE_URL", model.baseUrl(), "OPENAI_API_KEY", "sk-stream-test",
                "OPENAI_TIMEOUT", "3s", "OPENAI_MAX_RETRIES", "0"));
        application = stack.application("application-streaming", gateway, Map.of("REPLY_TIMEOUT", "20s"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
        if (model != null) {
            model.close();
        }
    }

    private static String prompt(String kind, String transport) {
        return "{\"text\":\"" + kind + " request " + REQUESTS.incrementAndGet() + "\",\"transport\":\"" + transport + "\"}";
    }

    @Test
    void theChunksOfBothTransportsArriveInOrderAndAddUpToTheAnswerInOneTrace() throws Exception {
        var stream = StreamingClient.ask(application, prompt("stream-ok", "both"));

        assertThat(stream.status()).isEqualTo(200);
        assertThat(stream.events().getLast().name()).as(stream.events().toString()).isEqualTo("done");
        assertThat(stream.named("error")).isEmpty();
        for (String transport : List.of("http", "kafka")) {
            List<Event> chunks = stream.of(transport, "chunk");
            if (transport.equals("http")) {
                assertThat(chunks).as(transport).hasSize(StreamingModelStub.OK_PIECES);
                for (int i = 0; i < chunks.size(); i++) {
                    assertThat(field(chunks.get(i).data(), "text")).as(transport + " chunk " + i).isEqualTo(
                            "piece " + i + (i + 1 < StreamingModelStub.OK_PIECES ? ", " : "."));
                }
            } else {
                // a chunk record carries what the model wrote within the gateway's window (15 ms; pieces
                // come 40 ms apart, so mostly one each): the first piece alone, then the text in order
                assertThat(chunks).as(transport).hasSizeBetween(1, StreamingModelStub.OK_PIECES);
                assertThat(field(chunks.getFirst().data(), "text")).as("the first piece went at once").isEqualTo("piece 0, ");
            }
            Event answer = assertThat(stream.of(transport, "answer")).singleElement().actual();
            assertThat(field(answer.data(), "text")).isEqualTo(StreamingModelStub.okAnswer()).isEqualTo(stream.chunkText(transport));
            assertThat(field(answer.data(), "model")).isEqualTo(StreamingModelStub.MODEL);
            long firstChunkMs = Long.parseLong(field(answer.data(), "firstChunkMs"));
            assertThat(firstChunkMs).isPositive().isLessThan(Long.parseLong(field(answer.data(), "latencyMs")));
            assertThat(stream.events().indexOf(answer)).as("the answer follows its last chunk")
                    .isGreaterThan(stream.events().indexOf(chunks.getLast()));
        }

        String traceId = field(stream.events().getLast().data(), "traceId");
        // the spans of a plain request over both transports, no more: a chunk is never a span of its own
        List<ReceivedSpan> trace = awaitTrace(stack.collector, traceId, 10);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .until(() -> stack.collector.spans().all().stream().filter(span -> span.traceId().equals(traceId)).count() == 10);
        ReceivedSpan root = only(trace, "application_process_request");
        ReceivedSpan replyProcess = only(trace, "process llm.replies");
        ReceivedSpan replySend = only(trace, "send llm.replies");
        ReceivedSpan clientSpan = only(trace, "gateway_request");
        List<ReceivedSpan> chats = trace.stream().filter(span -> span.name().startsWith("chat ")).toList();
        assertThat(chats).hasSize(2).allSatisfy(chat -> {
            assertThat(chat.attribute("gen_ai.response.time_to_first_chunk")).isPresent();
            assertThat(eventNames(chat)).contains("first_chunk");
        });
        for (ReceivedSpan sawTheFirstChunk : List.of(replyProcess, replySend, clientSpan)) {
            assertThat(eventNames(sawTheFirstChunk)).as(sawTheFirstChunk.name()).containsOnlyOnce("first_chunk");
        }
        assertThat(eventNames(root)).as("one first chunk per transport").filteredOn("first_chunk"::equals).hasSize(2);
        assertThat(replyProcess.attribute("ctxprop.stream.chunks")).contains("int_value: " + stream.of("kafka", "chunk").size());
        assertThat(replySend.attribute("ctxprop.stream.chunks")).contains("int_value: " + stream.of("kafka", "chunk").size());
        assertThat(endNanos(root)).as("the root covers the whole stream").isGreaterThanOrEqualTo(endNanos(replyProcess));
        assertThat(endNanos(replySend)).as("one send span covers every chunk record").isGreaterThan(firstChunkNanos(replySend));
        assertThat(endNanos(replyProcess)).isGreaterThan(firstChunkNanos(replyProcess));
    }

    @Test
    void chunkRecordsWrittenTwiceAreDropped() throws Exception {
        var copies = new AtomicInteger();
        var stop = new AtomicBoolean();
        try (var duplicator = Executors.newSingleThreadExecutor()) {
            var ready = new java.util.concurrent.CountDownLatch(1);
            Future<?> copying = duplicator.submit(() -> duplicateEveryChunk(ready, copies, stop));
            assertThat(ready.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

            var stream = StreamingClient.ask(application, prompt("stream-ok", "kafka"));

            stop.set(true);
            copying.get(30, java.util.concurrent.TimeUnit.SECONDS);
            int chunkRecords = stream.of("kafka", "chunk").size();
            assertThat(copies.get()).as("chunk records written again on llm.replies").isPositive().isGreaterThanOrEqualTo(chunkRecords / 2);
            assertThat(stream.named("error")).as(stream.events().toString()).isEmpty();
            assertThat(stream.chunkText("kafka")).as("each chunk once: a copy shown would repeat its text").isEqualTo(StreamingModelStub.okAnswer());
            String traceId = field(stream.events().getLast().data(), "traceId");
            ReceivedSpan replyProcess = only(awaitTrace(stack.collector, traceId, 7), "process llm.replies");
            assertThat(replyProcess.attribute("ctxprop.stream.duplicates")).hasValueSatisfying(value ->
                    assertThat(Long.parseLong(value.replaceAll("\\D", ""))).isPositive());
        }
    }

    /** Reads llm.replies from now on and writes every chunk record it sees a second time, headers and all, to its partition. */
    private static Void duplicateEveryChunk(java.util.concurrent.CountDownLatch ready, AtomicInteger copies, AtomicBoolean stop) {
        var consumerProperties = new Properties();
        consumerProperties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        consumerProperties.put(ConsumerConfig.GROUP_ID_CONFIG, "duplicator-" + UUID.randomUUID());
        consumerProperties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        var producerProperties = new Properties();
        producerProperties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        producerProperties.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        try (var consumer = new KafkaConsumer<>(consumerProperties, new StringDeserializer(), new ByteArrayDeserializer());
                var producer = new KafkaProducer<>(producerProperties, new StringSerializer(), new ByteArraySerializer())) {
            consumer.subscribe(List.of("llm.replies"));
            while (consumer.assignment().isEmpty()) {
                consumer.poll(Duration.ofMillis(100));
            }
            consumer.seekToEnd(consumer.assignment());
            consumer.assignment().forEach(consumer::position);
            ready.countDown();
            while (!stop.get()) {
                for (var record : consumer.poll(Duration.ofMillis(100))) {
                    if (StreamHeaders.seq(record.headers()) >= 0 && !StreamHeaders.isSet(record.headers(), StreamHeaders.LAST)) {
                        producer.send(new ProducerRecord<>(record.topic(), record.partition(), record.key(), record.value(), record.headers()));
                        copies.incrementAndGet();
                    }
                }
            }
        }
        return null;
    }

    @Test
    void aModelThatStallsMidStreamIsAnErrorEventAndAnErrorSpan() throws Exception {
        var stream = StreamingClient.ask(application, prompt("stream-stall", "both"));

        assertThat(stream.events().getLast().name()).isEqualTo("done");
        for (String transport : List.of("http", "kafka")) {
            assertThat(stream.of(transport, "chunk")).as(transport + " chunks before the stall").hasSizeBetween(transport.equals("http") ? 3 : 1, 3);
            assertThat(stream.chunkText(transport)).as(transport + " text before the stall").isEqualTo("piece 0, piece 1, piece 2.");
            Event error = assertThat(stream.of(transport, "error")).as(stream.events().toString()).singleElement().actual();
            assertThat(field(error.data(), "status")).isIn("502", "504");
            assertThat(field(error.data(), "traceId")).matches("[0-9a-f]{32}");
            assertThat(stream.of(transport, "answer")).isEmpty();
        }
        String traceId = field(stream.events().getLast().data(), "traceId");
        List<ReceivedSpan> trace = awaitTrace(stack.collector, traceId, 10);
        assertThat(all(trace, "llm_gateway_process")).hasSize(2).allSatisfy(chain -> {
            assertThat(chain.span().getStatus().getCode().name()).isEqualTo("STATUS_CODE_ERROR");
            assertThat(eventNames(chain)).contains("first_chunk", "exception");
        });
        assertThat(only(trace, "gateway_request").span().getStatus().getCode().name()).isEqualTo("STATUS_CODE_ERROR");
    }

    @Test
    void aReaderWhoLeavesMidStreamStopsTheModelCallOverEitherTransport() throws Exception {
        StreamingClient.ask(application, prompt("stream-ok", "both")); // connections and workers warmed
        long threadsBefore = gateway.threads();
        long descriptorsBefore = gateway.descriptors();
        int readers = 8;

        try (var clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> leaving = new ArrayList<>();
            for (int i = 0; i < readers; i++) {
                String transport = i % 2 == 0 ? "http" : "kafka";
                leaving.add(clients.submit(() -> {
                    StreamingClient.leaveAfterTheFirstChunk(application, prompt("stream-long", transport));
                    return null;
                }));
            }
            for (Future<?> reader : leaving) {
                reader.get(60, java.util.concurrent.TimeUnit.SECONDS);
            }
        }

        // every long stream is cut short by the gateway closing it, long before its 600 pieces (24 s)
        await("every model call stopped").atMost(Duration.ofSeconds(15))
                .until(() -> model.ended("stream-long").size() == readers && model.open() == 0);
        assertThat(model.ended("stream-long")).as(model.toString()).allSatisfy(stream -> {
            assertThat(stream.cutShort()).isTrue();
            assertThat(stream.piecesWritten()).isLessThan(StreamingModelStub.LONG_PIECES / 4);
        });
        await("the gateway's threads and descriptors settle").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
                .until(() -> gateway.threads() <= threadsBefore + 10 && gateway.descriptors() <= descriptorsBefore + 20);
        ReliabilityReport.record("streamed readers leaving after the first chunk (half HTTP, half Kafka)",
                "readers", readers, "model calls cut short", model.ended("stream-long").stream().filter(StreamingModelStub.Ended::cutShort).count(),
                "most pieces written before the cut", model.ended("stream-long").stream().mapToInt(StreamingModelStub.Ended::piecesWritten).max().orElse(0),
                "gateway threads before/after", threadsBefore + "/" + gateway.threads(),
                "gateway file descriptors before/after", descriptorsBefore + "/" + gateway.descriptors());
    }

    private static List<String> eventNames(ReceivedSpan span) {
        return span.span().getEventsList().stream().map(event -> event.getName()).toList();
    }

    private static long endNanos(ReceivedSpan span) {
        return span.span().getEndTimeUnixNano();
    }

    private static long firstChunkNanos(ReceivedSpan span) {
        return span.span().getEventsList().stream().filter(event -> event.getName().equals("first_chunk")).findFirst().orElseThrow()
                .getTimeUnixNano();
    }

}
