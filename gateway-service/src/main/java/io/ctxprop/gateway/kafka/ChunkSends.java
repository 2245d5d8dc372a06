package io.ctxprop.gateway.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.springframework.kafka.KafkaException;

/**
 * The chunk records of one streamed answer: sent without waiting for the broker (no round trip per
 * chunk), and kept in memory until each is on the broker, so one whose send failed is sent again
 * from here, never by asking the model again.
 */
final class ChunkSends {

    interface Sender {
        CompletableFuture<RecordMetadata> send(ProducerRecord<String, byte[]> record);
    }

    private final Sender sender;
    private final Duration timeout;
    private final List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
    private final List<CompletableFuture<RecordMetadata>> acks = new ArrayList<>();
    private int resent;

    /** @param timeout how long one send may take to be acknowledged or fail */
    ChunkSends(Sender sender, Duration timeout) {
        this.sender = sender;
        this.timeout = timeout;
    }

    void send(ProducerRecord<String, byte[]> record) {
        records.add(record);
        acks.add(sendSafely(record));
    }

    int count() {
        return records.size();
    }

    /** Chunks sent a second (or later) time. */
    int resent() {
        return resent;
    }

    /**
     * Returns once every chunk is on the broker. A chunk whose send failed is sent again, once per
     * call, and waited for.
     *
     * @throws KafkaException when a chunk is still not on the broker; calling again sends it again
     */
    void awaitAll() {
        for (int seq = 0; seq < records.size(); seq++) {
            if (acknowledged(acks.get(seq)) == null) {
                resent++;
                CompletableFuture<RecordMetadata> again = sendSafely(records.get(seq));
                acks.set(seq, again);
                Throwable failure = failureOf(again);
                if (failure != null) {
                    throw new KafkaException("Could not send chunk " + seq + " to " + records.get(seq).topic(), failure);
                }
            }
        }
    }

    private CompletableFuture<RecordMetadata> sendSafely(ProducerRecord<String, byte[]> record) {
        try {
            return sender.send(record);
        } catch (RuntimeException refused) {
            return CompletableFuture.failedFuture(refused);
        }
    }

    /** The metadata once acknowledged, or null when the send failed or took too long. */
    private RecordMetadata acknowledged(CompletableFuture<RecordMetadata> ack) {
        return failureOf(ack) == null ? ack.join() : null;
    }

    private Throwable failureOf(CompletableFuture<RecordMetadata> ack) {
        try {
            ack.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return null;
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new KafkaException("Interrupted while sending chunks", interrupted);
        } catch (ExecutionException failed) {
            return failed.getCause();
        } catch (TimeoutException late) {
            return late;
        }
    }
}
