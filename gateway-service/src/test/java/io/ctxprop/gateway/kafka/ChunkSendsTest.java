package io.ctxprop.gateway.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.KafkaException;

/** Chunk sends never wait for the broker one by one, and a failed one is sent again from memory before the last record. */
class ChunkSendsTest {

    /** Answers each send as told: by the chunk's value, how many sends of it fail first. */
    private static class ScriptedBroker implements ChunkSends.Sender {
        final Map<String, Integer> failuresLeft = new HashMap<>();
        final List<String> sent = new ArrayList<>();
        final List<CompletableFuture<RecordMetadata>> pending = new ArrayList<>();
        boolean holdAcks;

        @Override
        public CompletableFuture<RecordMetadata> send(ProducerRecord<String, byte[]> record) {
            String value = new String(record.value());
            sent.add(value);
            int failures = failuresLeft.getOrDefault(value, 0);
            if (failures > 0) {
                failuresLeft.put(value, failures - 1);
                return CompletableFuture.failedFuture(new org.apache.kafka.common.errors.TimeoutException("injected"));
            }
            var ack = new CompletableFuture<RecordMetadata>();
            pending.add(ack);
            if (!holdAcks) {
                ack.complete(new RecordMetadata(new TopicPartition("replies", 0), 0, 0, 0, 0, 0));
            }
            return ack;
        }
    }

    @Test
    void sendsWithoutWaitingForTheBroker() {
        var broker = new ScriptedBroker();
        broker.holdAcks = true;
        var chunks = new ChunkSends(broker, Duration.ofSeconds(5));

        chunks.send(chunk("a"));
        chunks.send(chunk("b"));

        assertThat(broker.sent).containsExactly("a", "b");
        assertThat(chunks.count()).isEqualTo(2);
        broker.pending.forEach(ack -> ack.complete(new RecordMetadata(new TopicPartition("replies", 0), 0, 0, 0, 0, 0)));
        chunks.awaitAll();
        assertThat(chunks.resent()).isZero();
    }

    @Test
    void aFailedChunkIsSentAgainFromMemory() {
        var broker = new ScriptedBroker();
        broker.failuresLeft.put("b", 1);
        var chunks = new ChunkSends(broker, Duration.ofSeconds(5));
        chunks.send(chunk("a"));
        chunks.send(chunk("b"));
        chunks.send(chunk("c"));

        chunks.awaitAll();

        assertThat(broker.sent).containsExactly("a", "b", "c", "b");
        assertThat(chunks.resent()).isEqualTo(1);
    }

    @Test
    void aChunkThatKeepsFailingThrowsAndIsSentAgainOnTheNextCall() {
        var broker = new ScriptedBroker();
        broker.failuresLeft.put("a", 2);
        var chunks = new ChunkSends(broker, Duration.ofSeconds(5));
        chunks.send(chunk("a"));
        chunks.send(chunk("b"));

        assertThatThrownBy(chunks::awaitAll).isInstanceOf(KafkaException.class).hasMessageContaining("chunk 0");
        chunks.awaitAll();

        assertThat(broker.sent).containsExactly("a", "b", "a", "a");
        assertThat(chunks.resent()).isEqualTo(2);
    }

    @Test
    void aSendRefusedAtOnceCountsAsFailedAndIsSentAgain() {
        var refusedOnce = new ScriptedBroker() {
            boolean refused;

            @Override
            public CompletableFuture<RecordMetadata> send(ProducerRecord<String, byte[]> record) {
                if (!refused) {
                    refused = true;
                    throw new KafkaException("buffer full");
                }
                return super.send(record);
            }
        };
        var chunks = new ChunkSends(refusedOnce, Duration.ofSeconds(5));

        chunks.send(chunk("a"));
        chunks.awaitAll();

        assertThat(refusedOnce.sent).containsExactly("a");
        assertThat(chunks.resent()).isEqualTo(1);
    }

    @Test
    void anAcknowledgmentThatNeverComesIsTreatedAsFailed() {
        var broker = new ScriptedBroker();
        broker.holdAcks = true;
        var chunks = new ChunkSends(broker, Duration.ofMillis(50));
        chunks.send(chunk("a"));

        assertThatThrownBy(chunks::awaitAll).isInstanceOf(KafkaException.class);
        assertThat(broker.sent).containsExactly("a", "a");
    }

    private static ProducerRecord<String, byte[]> chunk(String value) {
        return new ProducerRecord<>("replies", 0, "conversation", value.getBytes());
    }
}
