package io.ctxprop.application.kafka;

import io.ctxprop.telemetry.SpanBaggage;
import io.ctxprop.telemetry.kafka.KafkaTracing;
import io.ctxprop.telemetry.kafka.TopicReplication;
import io.opentelemetry.api.metrics.Meter;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;

/**
 * Request/reply over Kafka. Every application instance reads {@code llm.replies} in a consumer group
 * of its own, from the newest offset, so each sees the replies to its own requests whichever
 * partition they land in; replies to other instances are ignored.
 */
@Configuration(proxyBeanMethods = false)
class KafkaConfiguration {

    private static final Logger log = LoggerFactory.getLogger(KafkaConfiguration.class);

    /** Created where missing, replicated as configured or as the cluster's size suggests ({@link TopicReplication}). */
    @Bean
    KafkaAdmin.NewTopics applicationTopics(KafkaProperties properties, KafkaAdmin admin,
            @Value("${spring.kafka.admin.auto-create:true}") boolean autoCreate) {
        var replication = TopicReplication.forTopicsOf(admin, autoCreate, properties.replicationFactor(), properties.minInsyncReplicas());
        log.info("Kafka topics {}, {} are created (where missing) with {}", properties.requests(), properties.replies(), replication);
        return new KafkaAdmin.NewTopics(
                replication.topic(properties.requests(), properties.partitions()),
                replication.topic(properties.replies(), properties.partitions()));
    }

    @Bean
    ReplyLedger replyLedger(Environment environment) {
        return new ReplyLedger(SpanBaggage.from(environment));
    }

    @Bean
    ReplyStreams replyStreams(Environment environment) {
        return new ReplyStreams(SpanBaggage.from(environment));
    }

    @Bean
    TracedReplyingKafkaTemplate replyingKafkaTemplate(ProducerFactory<String, String> producers,
            ConcurrentKafkaListenerContainerFactory<String, String> containers, KafkaProperties properties,
            KafkaTracing tracing, ReplyLedger ledger, ReplyStreams streams, Meter meter,
            @Value("${spring.kafka.listener.auto-startup:true}") boolean autoStartup) {
        String group = "application-replies-" + UUID.randomUUID();
        ConcurrentMessageListenerContainer<String, String> replies = containers.createContainer(properties.replies());
        replies.getContainerProperties().setGroupId(group);
        Properties consumer = new Properties();
        consumer.setProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        replies.getContainerProperties().setKafkaConsumerProperties(consumer);
        replies.setAutoStartup(false);
        var template = new TracedReplyingKafkaTemplate(producers, replies, tracing, ledger, streams, group, meter);
        template.setDefaultReplyTimeout(properties.replyTimeout());
        // not a bean: it lives as long as the template (shut down by it), as Spring's own scheduler did
        template.setTaskScheduler(ReplyTimeouts.started());
        template.setAutoStartup(autoStartup);
        return template;
    }
}
