package io.ctxprop.bench.measure;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * Counts the records written to a topic, from the broker's own end offsets (the sum over its partitions):
 * the chunk records and last records a gateway sent in a window, read before and after it, without
 * consuming a record.
 */
public final class ReplyRecords implements AutoCloseable {

    private static final Duration ASK = Duration.ofSeconds(10);

    private final Admin admin;

    public ReplyRecords(String bootstrapServers) {
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, "ctxprop-bench-reply-records"));
    }

    /** The records ever written to {@code topic}: the sum of its partitions' end offsets. */
    public long written(String topic) {
        try {
            var partitions = admin.describeTopics(java.util.List.of(topic)).allTopicNames().get(ASK.toMillis(), TimeUnit.MILLISECONDS)
                    .get(topic).partitions().stream()
                    .collect(Collectors.toMap(info -> new TopicPartition(topic, info.partition()), info -> OffsetSpec.latest()));
            return admin.listOffsets(partitions).all().get(ASK.toMillis(), TimeUnit.MILLISECONDS).values().stream()
                    .mapToLong(offset -> offset.offset()).sum();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading " + topic + "'s end offsets", e);
        } catch (Exception e) {
            throw new IllegalStateException("could not read " + topic + "'s end offsets", e);
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
