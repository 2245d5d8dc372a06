package io.ctxprop.systemtests;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;

/**
 * Reads a consumer group's committed offsets of one topic every 100 ms, for as long as a scenario runs,
 * and notes every partition whose commit went backwards (a late acknowledgment, a former owner's
 * commit): in-order commits never move back.
 * <p>
 * {@link Read#STABLE} reads the way a consumer reads its starting position when it is assigned a
 * partition (kafka-clients' classic {@code ConsumerCoordinator} always sets {@code requireStable}):
 * what the group will resume from, so what the contract is about. {@link Read#AT_HIGH_WATERMARK} is
 * Admin's default, and is not that: Kafka 4's group coordinator serves it from its state at the
 * {@code __consumer_offsets} partition's high watermark, and a broker that has just become that
 * partition's leader (the coordinator killed) has a high watermark behind its log until its followers
 * fetch from it again, so for a moment it answers older commits than the dead coordinator already
 * served. docs/reliability.md has the source references.
 */
final class CommittedOffsetSampler implements AutoCloseable {

    enum Read {
        /**
         * {@code requireStable}: the coordinator reads its latest state (every commit it has loaded or
         * written) and answers once that state is replicated.
         */
        STABLE,
        /** Without {@code requireStable}: the coordinator's state at its partition's high watermark. */
        AT_HIGH_WATERMARK
    }

    private final Map<Integer, Long> highest = new ConcurrentHashMap<>();
    private final List<String> wentBack = new CopyOnWriteArrayList<>();
    private final AtomicInteger samples = new AtomicInteger();
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
    private final long startedNanos = System.nanoTime();
    // one client for the whole run, each read bounded: a sample must not wait out a missing coordinator
    private final Admin admin;

    CommittedOffsetSampler(String brokers, String group, String topic, Read read) {
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2000));
        var options = new ListConsumerGroupOffsetsOptions().requireStable(read == Read.STABLE);
        sampler.scheduleWithFixedDelay(() -> {
            try {
                admin.listConsumerGroupOffsets(group, options).partitionsToOffsetAndMetadata().get(2, TimeUnit.SECONDS)
                        .forEach((partition, metadata) -> {
                            if (partition.topic().equals(topic) && metadata != null) {
                                note(topic, partition.partition(), metadata.offset());
                            }
                        });
                samples.incrementAndGet();
            } catch (Exception notNow) {
                // sampling is best effort (a broker may be down); a missed sample is not a failure
            }
        }, 0, 100, TimeUnit.MILLISECONDS);
    }

    private void note(String topic, int partition, long offset) {
        Long before = highest.put(partition, Math.max(offset, highest.getOrDefault(partition, -1L)));
        if (before != null && offset < before) {
            wentBack.add(topic + "-" + partition + ": " + before + " -> " + offset + " at " + millis() + " ms");
        }
    }

    /** Milliseconds since sampling started: the time the entries of {@link #wentBack()} are given in. */
    long millis() {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    int samples() {
        return samples.get();
    }

    /** The highest committed offset read so far on the partition (-1: none read). */
    long highest(int partition) {
        return highest.getOrDefault(partition, -1L);
    }

    List<String> wentBack() {
        return List.copyOf(wentBack);
    }

    @Override
    public void close() throws InterruptedException {
        sampler.shutdownNow();
        sampler.awaitTermination(5, TimeUnit.SECONDS);
        admin.close(Duration.ofSeconds(2));
    }
}
