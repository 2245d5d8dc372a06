package io.ctxprop.gateway.kafka;

import java.time.Duration;
import java.util.Collection;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.listener.ConsumerAwareRebalanceListener;

/**
 * What a rebalance does to the records this gateway holds. Revoked partitions: the requests in
 * flight get up to {@code llm.kafka.listener.revocation-wait} to finish, so the container commits
 * their offsets with the revocation and the next owner does not answer them again; then their state
 * is dropped, and a late acknowledgment can no longer move a commit. Lost partitions (this member
 * was thrown out of the group): dropped at once, nothing committed.
 */
final class PartitionRevocation implements ConsumerAwareRebalanceListener {

    private static final Logger LOGGER = LoggerFactory.getLogger(PartitionRevocation.class);

    private final InOrderAcknowledgments acknowledgments;
    private final Duration wait;

    PartitionRevocation(InOrderAcknowledgments acknowledgments, Duration wait) {
        this.acknowledgments = acknowledgments;
        this.wait = wait;
    }

    @Override
    public void onPartitionsRevokedBeforeCommit(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        try {
            acknowledgments.revokeWhenEnded(partitions, wait);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            acknowledgments.revoke(partitions);
        }
        LOGGER.debug("Partitions revoked: {}", partitions);
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        acknowledgments.revoke(partitions);
        LOGGER.warn("Partitions lost (their requests in flight will be answered again by their next owner): {}", partitions);
    }
}
