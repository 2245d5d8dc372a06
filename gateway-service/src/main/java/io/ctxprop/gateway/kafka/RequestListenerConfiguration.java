package io.ctxprop.gateway.kafka;

import io.ctxprop.gateway.process.LlmGatewayProcess;
import io.ctxprop.telemetry.kafka.KafkaTracing;
import io.ctxprop.telemetry.metrics.ContextMetrics;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Tracer;
import java.time.Duration;
import org.apache.kafka.common.TopicPartition;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ContainerCustomizer;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.MessageListenerContainer;
import tools.jackson.databind.json.JsonMapper;

/** The request listener and what it is made of, wired once. */
@Configuration(proxyBeanMethods = false)
class RequestListenerConfiguration {

    @Bean(destroyMethod = "close")
    ReplyRoutes replyRoutes(KafkaAdmin kafkaAdmin) {
        return new ReplyRoutes(kafkaAdmin.getConfigurationProperties(), kafkaAdmin.getOperationTimeout() > 0
                ? Duration.ofSeconds(kafkaAdmin.getOperationTimeout()) : Duration.ofSeconds(5));
    }

    @Bean
    TracedDeadLetterRecoverer deadLetterRecoverer(KafkaTemplate<String, byte[]> kafka, KafkaTracing tracing, TopicProperties topics,
            Meter meter) {
        return new TracedDeadLetterRecoverer(kafka, tracing, topics.deadLetters(), meter);
    }

    @Bean
    InOrderAcknowledgments inOrderAcknowledgments(ListenerProperties properties, KafkaListenerEndpointRegistry registry) {
        return new InOrderAcknowledgments(properties.maxPending(), new InOrderAcknowledgments.Flow() {
            @Override
            public void pause(TopicPartition partition) {
                container(registry).pausePartition(partition);
            }

            @Override
            public void resume(TopicPartition partition) {
                container(registry).resumePartition(partition);
            }
        });
    }

    private static MessageListenerContainer container(KafkaListenerEndpointRegistry registry) {
        return registry.getListenerContainer(RequestListener.ID);
    }

    @Bean
    RequestHandler requestHandler(KafkaTracing tracing, Tracer tracer, LlmGatewayProcess process, ReplySender replies,
            ReplyRoutes replyRoutes, TracedDeadLetterRecoverer deadLetters, ListenerProperties properties, JsonMapper json,
            TopicProperties topics, ContextMetrics context, @Value("${gateway.max-text-length}") int maxTextLength) {
        return new RequestHandler(tracing, tracer, process, replies, replyRoutes, deadLetters,
                new Retries(properties), new RequestReader(json, topics.replies(), maxTextLength), json, topics.groupId(), context);
    }

    @Bean(destroyMethod = "close")
    RequestListener requestListener(RequestHandler handler, InOrderAcknowledgments acknowledgments, TopicProperties topics) {
        return new RequestListener(handler, acknowledgments, topics.maxInFlight());
    }

    @Bean(destroyMethod = "close")
    ListenerGauges listenerGauges(Meter meter, RequestListener listener, InOrderAcknowledgments acknowledgments) {
        return new ListenerGauges(meter, listener, acknowledgments);
    }

    @Bean
    KafkaDrain kafkaDrain(KafkaListenerEndpointRegistry registry, RequestListener listener, ListenerProperties properties) {
        return new KafkaDrain(registry, listener, properties);
    }

    /** Picked up by Boot's listener container factory. */
    @Bean
    PartitionRevocation partitionRevocation(InOrderAcknowledgments acknowledgments, ListenerProperties properties) {
        return new PartitionRevocation(acknowledgments, properties.revocationWait());
    }

    /** A paused container stops handing out records at once (the rest of the poll is fetched again later). */
    @Bean
    ContainerCustomizer<Object, Object, ConcurrentMessageListenerContainer<Object, Object>> pauseImmediately() {
        return container -> container.getContainerProperties().setPauseImmediate(true);
    }
}
