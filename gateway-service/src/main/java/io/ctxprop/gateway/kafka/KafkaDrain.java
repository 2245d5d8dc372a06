package io.ctxprop.gateway.kafka;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.AbstractMessageListenerContainer;

/**
 * Graceful shutdown of the Kafka side, ordered by lifecycle phase: it stops just before the listener
 * container does. It pauses the container (no more fetching), lets the requests in flight be
 * answered (up to {@code llm.kafka.listener.drain-timeout}), and returns; the container then stops
 * its consumer, which commits every acknowledged offset on the way out. A rolling restart therefore
 * answers each request once. What is still unanswered at the timeout is left uncommitted (the next
 * gateway answers it) and counted in the log.
 */
final class KafkaDrain implements SmartLifecycle {

    private static final Logger LOGGER = LoggerFactory.getLogger(KafkaDrain.class);

    private final KafkaListenerEndpointRegistry registry;
    private final RequestListener listener;
    private final ListenerProperties properties;
    private volatile boolean running;

    KafkaDrain(KafkaListenerEndpointRegistry registry, RequestListener listener, ListenerProperties properties) {
        this.registry = registry;
        this.listener = listener;
        this.properties = properties;
    }

    @Override
    public int getPhase() {
        // later phases stop first: this one before the listener containers
        return AbstractMessageListenerContainer.DEFAULT_PHASE + 1;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        var container = registry.getListenerContainer(RequestListener.ID);
        if (container == null || !container.isRunning()) {
            return;
        }
        container.pause();
        int inFlight = listener.inFlight();
        LOGGER.info("Stopping: no more Kafka requests taken; waiting up to {} for the {} in flight", properties.drainTimeout(), inFlight);
        try {
            int unanswered = listener.drain(properties.drainTimeout());
            if (unanswered == 0) {
                LOGGER.info("Stopping: every Kafka request in flight was answered; their offsets are committed as the consumer stops");
            } else {
                LOGGER.warn("Stopping: {} Kafka requests still unanswered after {}; left uncommitted, they will be answered after a restart",
                        unanswered, properties.drainTimeout());
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
