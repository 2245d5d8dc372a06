package io.ctxprop.gateway.kafka;

import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;

/** Creates the three topics at start-up when they do not exist (an existing topic is left as it is). */
@Configuration(proxyBeanMethods = false)
class TopicConfiguration {

    @Bean
    KafkaAdmin.NewTopics gatewayTopics(TopicProperties topics) {
        return new KafkaAdmin.NewTopics(
                topic(topics.requests(), topics.partitions()),
                topic(topics.replies(), topics.partitions()),
                topic(topics.deadLetters(), topics.partitions()));
    }

    private static NewTopic topic(String name, int partitions) {
        return TopicBuilder.name(name).partitions(partitions).build();
    }
}
