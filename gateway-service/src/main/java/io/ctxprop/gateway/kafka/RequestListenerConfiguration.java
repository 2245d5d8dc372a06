package io.ctxprop.gateway.kafka;

import io.ctxprop.gateway.process.LlmGatewayProcess;
import io.ctxprop.telemetry.kafka.KafkaTracing;
import io.ctxprop.telemetry.metrics.ContextMetrics;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Tracer;
import java.time.Duration;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ContainerCustomizer;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
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
    DeadLetters deadLetters(KafkaTemplate<String, byte[]> kafka, KafkaTracing tracing, TopicProperties topics, Meter meter,
            ListenerProperties properties) {
        LongCounter deadLettered = meter.counterBuilder("ctxprop.kafka.dead_letters").setUnit("{record}")
                .setDescription("Request records moved to the dead-letter topic, by reason").build();
        return new DeadLetters(new TracedDeadLetterRecoverer(kafka, tracing, topics.deadLetters(), deadLettered), new Retries(properties));
    }

    @Bean
    InOrderAcknowledgments inOrderAcknowledgments(ListenerProperties properties) {
        return new InOrderAcknowledgments(properties.maxPending());
    }

    @Bean
    RequestHandler requestHandler(KafkaTracing tracing, Tracer tracer, LlmGatewayProcess process, ReplySender replies,
            ReplyStreams replyStreams, ReplyRoutes replyRoutes, DeadLetters deadLetters, ListenerProperties properties, JsonMapper json,
            TopicProperties topics, ContextMetrics context, @Value("${gateway.max-text-length}") int maxTextLength) {
        return new RequestHandler(tracing, tracer, process, replies, replyStreams, replyRoutes, deadLetters,
                new Retries(properties), new RequestReader(json, topics.replies(),
                new ReplyTopicAllowList(topics.replyTopics(), List.of(topics.requests(), topics.deadLetters())), maxTextLength), json, topics.groupId(), context);
    }

    @Bean(destroyMethod = "close")
    RequestListener requestListener(RequestHandler handler, InOrderAcknowledgments acknowledgments, TopicProperties topics) {
        return new RequestListener(handler, acknowledgments, new InFlightStreams(topics.maxInFlight()), topics.replies(),
                topics.maxInFlight());
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

    /** A paused container (the shutdown drain) stops handing out records at once; the rest of the poll stays unhandled. */
    @Bean
    ContainerCustomizer<Object, Object, ConcurrentMessageListenerContainer<Object, Object>> pauseImmediately() {
        return container -> container.getContainerProperties().setPauseImmediate(true);
    }
}
