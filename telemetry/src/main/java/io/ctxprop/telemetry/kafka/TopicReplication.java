package io.ctxprop.telemetry.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * How the services' topics are replicated when they create them: the configured replication factor
 * and {@code min.insync.replicas}, or, where unset, values derived from the cluster: min(3, brokers)
 * replicas, and 2 in-sync replicas once there are three (1 below), so one broker may be down while
 * every acknowledged record is on two. Both services create topics, so both use this one rule.
 *
 * @param replicationFactor empty: the broker's {@code default.replication.factor} (the cluster could not be asked)
 * @param minInsyncReplicas empty: the broker's {@code min.insync.replicas}
 * @param derivedFrom       how the values were chosen, for the start-up log line
 */
public record TopicReplication(Optional<Short> replicationFactor, OptionalInt minInsyncReplicas, String derivedFrom) {

    static final int MAX_DERIVED_REPLICAS = 3;

    /**
     * For a service's topics: asks the cluster through the KafkaAdmin's settings (within its operation
     * timeout), and only when the topics are created at all ({@code spring.kafka.admin.auto-create}).
     */
    public static TopicReplication forTopicsOf(KafkaAdmin admin, boolean autoCreate, Integer configuredReplicas, Integer configuredMinInsync) {
        return autoCreate
                ? resolve(configuredReplicas, configuredMinInsync, admin.getConfigurationProperties(),
                        Duration.ofSeconds(Math.max(1, admin.getOperationTimeout())))
                : of(configuredReplicas, configuredMinInsync, OptionalInt.empty());
    }

    /** Asks the cluster for its size (live brokers) only when a value is left to derive. */
    public static TopicReplication resolve(Integer configuredReplicas, Integer configuredMinInsync,
            Map<String, Object> adminConfig, Duration timeout) {
        OptionalInt brokers = configuredReplicas == null || configuredMinInsync == null ? brokers(adminConfig, timeout) : OptionalInt.empty();
        return of(configuredReplicas, configuredMinInsync, brokers);
    }

    /** The rule itself: configured values win, the rest follow from the number of brokers (when known). */
    public static TopicReplication of(Integer configuredReplicas, Integer configuredMinInsync, OptionalInt brokers) {
        Optional<Short> replicas = configuredReplicas != null
                ? Optional.of(configuredReplicas.shortValue())
                : brokers.isPresent() ? Optional.of((short) Math.min(MAX_DERIVED_REPLICAS, Math.max(1, brokers.getAsInt()))) : Optional.empty();
        OptionalInt minInsync = configuredMinInsync != null
                ? OptionalInt.of(configuredMinInsync)
                : replicas.map(factor -> OptionalInt.of(factor >= MAX_DERIVED_REPLICAS ? 2 : 1)).orElse(OptionalInt.empty());
        String source = configuredReplicas != null && configuredMinInsync != null ? "configured"
                : brokers.isPresent() ? "derived from " + brokers.getAsInt() + " broker(s)"
                : "the broker's defaults: the cluster did not answer";
        return new TopicReplication(replicas, minInsync, source);
    }

    /** A topic with this replication (an existing topic is left as it is by KafkaAdmin). */
    public NewTopic topic(String name, int partitions) {
        TopicBuilder builder = TopicBuilder.name(name).partitions(partitions);
        replicationFactor.ifPresent(builder::replicas);
        minInsyncReplicas.ifPresent(min -> builder.config(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(min)));
        return builder.build();
    }

    @Override
    public String toString() {
        return "replication factor " + replicationFactor.map(String::valueOf).orElse("(broker default)")
                + ", min.insync.replicas " + (minInsyncReplicas.isPresent() ? minInsyncReplicas.getAsInt() : "(broker default)")
                + " (" + derivedFrom + ")";
    }

    private static OptionalInt brokers(Map<String, Object> adminConfig, Duration timeout) {
        try (Admin admin = Admin.create(adminConfig)) {
            int count = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
                    .nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS).size();
            return OptionalInt.of(count);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return OptionalInt.empty();
        } catch (Exception noCluster) {
            // no broker yet: KafkaAdmin cannot create the topics either, and the broker's defaults apply
            // to the topics it creates on first use
            return OptionalInt.empty();
        }
    }
}
