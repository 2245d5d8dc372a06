package io.ctxprop.gateway.kafka;

import static io.ctxprop.telemetry.testing.KafkaTestClients.committedOffsets;
import static io.ctxprop.telemetry.testing.KafkaTestClients.endOffsets;
import static io.ctxprop.telemetry.testing.KafkaTestClients.header;
import static io.ctxprop.telemetry.testing.KafkaTestClients.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ctxprop.gateway.completion.ModelStub;
import io.ctxprop.gateway.completion.ModelStub.Reply;
import io.ctxprop.telemetry.testing.KafkaTestClients;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.event.EventListener;
import org.springframework.kafka.event.ListenerContainerIdleEvent;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A stalled model must not grow the gateway's heap: a partition stops being read when it holds
 * {@code max-pending} records not yet acknowledged, and is read again once the model answers.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.kafka.listener.auto-startup=true", "spring.kafka.admin.auto-create=true", "openai.api-key=sk-test",
        "openai.timeout=60s", "openai.max-retries=0", "llm.kafka.listener.max-pending=" + PartitionCapTest.CAP,
        "spring.kafka.consumer.max-poll-records=" + PartitionCapTest.POLL})
@EmbeddedKafka(partitions = 6, topics = {"llm.requests", "llm.replies", "llm.requests-dlt"},
        bootstrapServersProperty = "spring.kafka.bootstrap-servers")
class PartitionCapTest {

    static final int CAP = 10;
    static final int POLL = 5;
    static final int REQUESTS = 60;
    static final ModelStub MODEL = ModelStub.start();

    @DynamicPropertySource
    static void modelServer(DynamicPropertyRegistry registry) {
        registry.add("openai.base-url", MODEL::baseUrl);
    }

    @AfterAll
    static void stopModel() {
        MODEL.close();
    }

    @Value("${spring.kafka.bootstrap-servers}")
    String brokers;

    @Autowired
    InOrderAcknowledgments acknowledgments;

    static final List<ListenerContainerIdleEvent> idleEvents = new CopyOnWriteArrayList<>();

    /** Collects the listener containers' idle events (published on their consumer threads). */
    @TestConfiguration
    static class IdleEvents {

        @EventListener
        void idle(ListenerContainerIdleEvent event) {
            idleEvents.add(event);
        }
    }

    @Test
    void aPartitionPausesAtTheCapWhileTheModelStallsAndResumesWhenItAnswers() throws Exception {
        MODEL.willReply(Reply.completion("finally"));
        MODEL.stall();
        var partition = new TopicPartition("llm.requests", 0);
        List<ProducerRecord<String, byte[]>> requests = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            requests.add(new ProducerRecord<>("llm.requests", 0, "cap-" + i, ("{\"text\":\"cap " + i + "\"}").getBytes(StandardCharsets.UTF_8)));
        }
        KafkaTestClients.sendAll(brokers, requests);

        await("llm.requests-0 paused").atMost(Duration.ofSeconds(30)).until(() -> acknowledgments.paused(partition));
        int heldWhilePaused = acknowledgments.pending(partition);
        assertThat(heldWhilePaused).as("records held at the pause").isBetween(CAP, CAP + POLL - 1);
        // proof that the consumer stopped reading it: with records waiting on llm.requests-0, its poll
        // comes back empty until the container reports itself idle; nothing more was taken meanwhile
        idleEvents.clear();
        await("the consumer of llm.requests-0 idle while records wait").atMost(Duration.ofSeconds(30))
                .until(() -> idleEvents.stream().anyMatch(event -> event.getTopicPartitions().contains(partition)));
        assertThat(acknowledgments.pending(partition)).as("taken while paused").isEqualTo(heldWhilePaused);
        assertThat(acknowledgments.pausedPartitions()).isEqualTo(1);

        MODEL.release();

        long end = endOffsets(brokers, "llm.requests").get(0);
        await("every request answered and committed").atMost(Duration.ofSeconds(60))
                .until(() -> committedOffsets(brokers, "llm-gateway", "llm.requests").getOrDefault(0, -1L) >= end);
        assertThat(acknowledgments.paused(partition)).as("resumed").isFalse();
        assertThat(acknowledgments.pausedPartitions()).isZero();
        assertThat(acknowledgments.peakPending()).as("the most records one partition ever held").isLessThan(CAP + POLL);
        Set<String> answered = readAll(brokers, "llm.replies").stream().map(record -> header(record, "kafka_correlationId"))
                .collect(Collectors.toSet());
        assertThat(answered).containsAll(requests.stream().map(ProducerRecord::key).toList());
    }
}
