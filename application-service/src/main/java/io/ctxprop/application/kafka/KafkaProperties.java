package io.ctxprop.application.kafka;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The application's side of the Kafka contract.
 *
 * @param requests          where requests go ({@code llm.requests})
 * @param replies           where this application reads replies ({@code llm.replies})
 * @param partitions        partitions of the topics created at start-up
 * @param replyTimeout      how long a request waits for its reply before a 504
 * @param readyTimeout      how long a request waits for the reply consumer to get its partitions after start-up
 * @param replicationFactor replicas of the topics created at start-up; null: min(3, brokers in the cluster)
 * @param minInsyncReplicas their {@code min.insync.replicas}; null: 2 with three replicas or more, else 1
 */
@ConfigurationProperties("llm.kafka")
public record KafkaProperties(String requests, String replies, int partitions, Duration replyTimeout, Duration readyTimeout,
        Integer replicationFactor, Integer minInsyncReplicas) {
}
