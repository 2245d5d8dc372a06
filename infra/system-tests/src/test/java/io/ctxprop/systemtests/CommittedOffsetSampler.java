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

/**
 * Reads a consumer group's committed offsets of one topic every 100 ms, for as long as a scenario runs,
 * and notes every partition whose commit went backwards (a late acknowledgment, a former owner's
 * commit): in-order commits never move back.
 */
final class CommittedOffsetSampler implements AutoCloseable {

    private final Map<Integer, Long> highest = new ConcurrentHashMap<>();
    private final List<String> wentBack = new CopyOnWriteArrayList<>();
    private final AtomicInteger samples = new AtomicInteger();
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
    // one client for the whole run, each read bounded: a sample must not wait out a missing coordinator
    private final Admin admin;

    CommittedOffsetSampler(String brokers, String group, String topic) {
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2000));
        sampler.scheduleWithFixedDelay(() -> {
            try {
                admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(2, TimeUnit.SECONDS).forEach((partition, metadata) -> {
                    if (!partition.topic().equals(topic) || metadata == null) {
                        return;
                    }
                    long offset = metadata.offset();
                    Long before = highest.put(partition.partition(), Math.max(offset, highest.getOrDefault(partition.partition(), -1L)));
                    if (before != null && offset < before) {
                        wentBack.add(topic + "-" + partition.partition() + ": " + before + " -> " + offset);
                    }
                });
                samples.incrementAndGet();
            } catch (Exception notNow) {
                // sampling is best effort (a broker may be down); a missed sample is not a failure
            }
        }, 0, 100, TimeUnit.MILLISECONDS);
    }

    int samples() {
        return samples.get();
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
