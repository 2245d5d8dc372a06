package io.ctxprop.gateway.kafka;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The Kafka side of the wire contract.
 *
 * @param requests           where requests arrive ({@code llm.requests})
 * @param replies            where replies go when a request names no reply topic ({@code llm.replies})
 * @param deadLetters        where unprocessable requests go, with the reason in headers ({@code llm.requests-dlt})
 * @param partitions         partitions of each topic created at start-up; the DLT gets as many as its source
 * @param maxInFlight        requests handled at once by one gateway; the listener waits when all are busy
 * @param groupId            the consumer group the gateways share the request load in
 * @param replicationFactor  replicas of each topic created at start-up; null: min(3, brokers in the cluster)
 * @param minInsyncReplicas  their {@code min.insync.replicas}; null: 2 with three replicas or more, else 1
 * @param replyTopics        the reply topics a request may name: names, and prefixes as {@code name.*}
 *                           ({@code LLM_KAFKA_REPLY_TOPICS}, default {@code llm.replies,llm.replies.*})
 */
@ConfigurationProperties("llm.kafka")
public record TopicProperties(String requests, String replies, String deadLetters, int partitions, int maxInFlight,
        String groupId, Integer replicationFactor, Integer minInsyncReplicas, List<String> replyTopics) {
}
