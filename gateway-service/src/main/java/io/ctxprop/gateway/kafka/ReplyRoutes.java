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
 * about known topics are cached for {@link #KNOWN_FOR} (bounded), so the usual reply topics cost
 * nothing; a refusal is always decided on a fresh answer, so a topic just created or grown is not
 * refused on an old one.
 */
final class ReplyRoutes implements AutoCloseable {

    static final Duration KNOWN_FOR = Duration.ofSeconds(60);
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
        int partitions = partitions(request.replyTopic(), false);
        Integer partition = request.replyPartition();
        if (partitions == 0 || (partition != null && partition >= partitions)) {
            // a cached answer may be out of date (a topic created, partitions added): ask again before refusing
            partitions = partitions(request.replyTopic(), true);
        }
        if (partitions == 0) {
            throw new PoisonRecord(PoisonReason.UNKNOWN_REPLY_TOPIC, "It is \"" + request.replyTopic() + "\".");
        }
        if (partition != null && (partition < 0 || partition >= partitions)) {
            throw new PoisonRecord(PoisonReason.INVALID_REPLY_PARTITION,
                    "It is " + partition + "; " + request.replyTopic() + " has " + partitions + ".");
        }
    }

    /** The topic's partition count, 0 when it does not exist; {@code fresh} skips the cache. */
    private int partitions(String topic, boolean fresh) {
        long now = System.nanoTime();
        Lookup known = cache.get(topic);
        if (!fresh && known != null && known.expiresAt - now > 0) {
            return known.partitions;
        }
        int partitions = describe(topic);
        if (partitions > 0) {
            if (cache.size() >= MAX_CACHED) {
                cache.clear();
            }
            cache.put(topic, new Lookup(partitions, now + KNOWN_FOR.toNanos()));
        }
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
