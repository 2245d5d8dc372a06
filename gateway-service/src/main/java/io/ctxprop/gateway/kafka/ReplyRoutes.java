package io.ctxprop.gateway.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.springframework.kafka.KafkaException;

/**
 * Checks a request's reply routing before any work is done for it: the reply topic must exist and
 * the reply partition, when given, must be one of its partitions. Asks the cluster through the Admin
 * API, which never creates a topic: a producer's metadata request would, on a broker that
 * auto-creates topics, so any client could make the gateway create topics by naming them. Answers
 * are cached (a known topic for {@link #KNOWN_FOR}, an unknown one for {@link #UNKNOWN_FOR}) and the
 * cache is bounded, so a flood of made-up names costs one lookup each at most.
 */
final class ReplyRoutes implements AutoCloseable {

    static final Duration KNOWN_FOR = Duration.ofSeconds(60);
    static final Duration UNKNOWN_FOR = Duration.ofSeconds(10);
    static final int MAX_CACHED = 1024;

    private record Lookup(int partitions, long expiresAt) {
    }

    private final Map<String, Object> adminConfiguration;
    private final Duration timeout;
    private final Map<String, Lookup> cache = new ConcurrentHashMap<>();
    private Admin admin;

    /** @param adminConfiguration the Admin client's settings; it is created at the first look-up */
    ReplyRoutes(Map<String, Object> adminConfiguration, Duration timeout) {
        this.adminConfiguration = Map.copyOf(adminConfiguration);
        this.timeout = timeout;
    }

    /**
     * @throws PoisonRecord for a topic that does not exist or a partition it does not have
     * @throws KafkaException when the cluster cannot say (the request is retried, not dead-lettered)
     */
    void check(KafkaRequest request) {
        int partitions = partitions(request.replyTopic());
        if (partitions == 0) {
            throw new PoisonRecord(PoisonReason.UNKNOWN_REPLY_TOPIC, "It is \"" + request.replyTopic() + "\".");
        }
        Integer partition = request.replyPartition();
        if (partition != null && (partition < 0 || partition >= partitions)) {
            throw new PoisonRecord(PoisonReason.INVALID_REPLY_PARTITION,
                    "It is " + partition + "; " + request.replyTopic() + " has " + partitions + ".");
        }
    }

    /** The topic's partition count, 0 when it does not exist. */
    private int partitions(String topic) {
        long now = System.nanoTime();
        Lookup known = cache.get(topic);
        if (known != null && known.expiresAt - now > 0) {
            return known.partitions;
        }
        int partitions = describe(topic);
        if (cache.size() >= MAX_CACHED) {
            cache.clear();
        }
        long validFor = (partitions > 0 ? KNOWN_FOR : UNKNOWN_FOR).toNanos();
        cache.put(topic, new Lookup(partitions, now + validFor));
        return partitions;
    }

    private synchronized Admin admin() {
        if (admin == null) {
            admin = Admin.create(adminConfiguration);
        }
        return admin;
    }

    @Override
    public synchronized void close() {
        if (admin != null) {
            admin.close(timeout);
        }
    }

    private int describe(String topic) {
        try {
            return admin().describeTopics(List.of(topic)).allTopicNames()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS).get(topic).partitions().size();
        } catch (ExecutionException failure) {
            if (failure.getCause() instanceof UnknownTopicOrPartitionException) {
                return 0;
            }
            throw new KafkaException("Could not look up reply topic " + topic, failure.getCause());
        } catch (TimeoutException failure) {
            throw new KafkaException("Could not look up reply topic " + topic + " within " + timeout, failure);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new KafkaException("Interrupted while looking up reply topic " + topic, interrupted);
        }
    }
}
