package io.ctxprop.telemetry.attributes;

import io.opentelemetry.api.common.AttributeKey;

/**
 * The OpenTelemetry messaging semantic-convention names the Kafka spans carry. Local constants on
 * purpose: the messaging conventions are still incubating, and opentelemetry-semconv ships only the
 * stable ones (the incubating artifact changes names between releases).
 */
public final class MessagingAttributes {

    private MessagingAttributes() {
    }

    public static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("messaging.system");
    public static final AttributeKey<String> OPERATION_TYPE = AttributeKey.stringKey("messaging.operation.type");
    public static final AttributeKey<String> OPERATION_NAME = AttributeKey.stringKey("messaging.operation.name");
    public static final AttributeKey<String> DESTINATION_NAME = AttributeKey.stringKey("messaging.destination.name");
    public static final AttributeKey<String> DESTINATION_PARTITION_ID = AttributeKey.stringKey("messaging.destination.partition.id");
    public static final AttributeKey<Long> KAFKA_OFFSET = AttributeKey.longKey("messaging.kafka.offset");
    public static final AttributeKey<String> KAFKA_MESSAGE_KEY = AttributeKey.stringKey("messaging.kafka.message.key");
    public static final AttributeKey<String> CONSUMER_GROUP_NAME = AttributeKey.stringKey("messaging.consumer.group.name");
    public static final AttributeKey<String> CONVERSATION_ID = AttributeKey.stringKey("messaging.message.conversation_id");
    public static final AttributeKey<Long> BODY_SIZE = AttributeKey.longKey("messaging.message.body.size");
    public static final AttributeKey<String> CLIENT_ID = AttributeKey.stringKey("messaging.client.id");

    public static final String KAFKA = "kafka";
}
