package io.ctxprop.gateway.kafka;

import io.ctxprop.telemetry.kafka.TopicReplication;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * Creates the three topics at start-up when they do not exist (an existing topic is left as it is),
 * replicated as configured or as the cluster's size suggests ({@link TopicReplication}).
 */
@Configuration(proxyBeanMethods = false)
class TopicConfiguration {

    private static final Logger log = LoggerFactory.getLogger(TopicConfiguration.class);

    @Bean
    KafkaAdmin.NewTopics gatewayTopics(TopicProperties topics, KafkaAdmin admin,
            @Value("${spring.kafka.admin.auto-create:true}") boolean autoCreate) {
        var replication = TopicReplication.forTopicsOf(admin, autoCreate, topics.replicationFactor(), topics.minInsyncReplicas());
        log.info("Kafka topics {}, {}, {} are created (where missing) with {}", topics.requests(), topics.replies(),
                topics.deadLetters(), replication);
        return new KafkaAdmin.NewTopics(
                replication.topic(topics.requests(), topics.partitions()),
                replication.topic(topics.replies(), topics.partitions()),
                replication.topic(topics.deadLetters(), topics.partitions()));
    }
}
