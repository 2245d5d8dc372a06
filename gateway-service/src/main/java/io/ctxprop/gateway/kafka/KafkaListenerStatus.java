package io.ctxprop.gateway.kafka;

import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.stereotype.Component;

/** What the status page says about the Kafka side: topics, whether the listener runs, what it holds. */
@Component
public class KafkaListenerStatus {

    public record Snapshot(String requests, String replies, String deadLetters, String groupId, boolean running,
            List<String> assignedPartitions, int inFlight, int maxInFlight, int pending, int pausedPartitions, int maxPending) {
    }

    private final KafkaListenerEndpointRegistry registry;
    private final RequestListener listener;
    private final TopicProperties topics;
    private final InOrderAcknowledgments acknowledgments;
    private final ListenerProperties properties;

    KafkaListenerStatus(KafkaListenerEndpointRegistry registry, RequestListener listener, TopicProperties topics,
            InOrderAcknowledgments acknowledgments, ListenerProperties properties) {
        this.registry = registry;
        this.listener = listener;
        this.topics = topics;
        this.acknowledgments = acknowledgments;
        this.properties = properties;
    }

    public Snapshot snapshot() {
        var container = registry.getListenerContainer(RequestListener.ID);
        boolean running = container != null && container.isRunning();
        List<String> assigned = container == null || container.getAssignedPartitions() == null ? List.of()
                : container.getAssignedPartitions().stream().map(TopicPartition::toString).sorted().toList();
        return new Snapshot(topics.requests(), topics.replies(), topics.deadLetters(), topics.groupId(), running, assigned,
                listener.inFlight(), topics.maxInFlight(), acknowledgments.pending(), acknowledgments.pausedPartitions(),
                properties.maxPending());
    }
}
