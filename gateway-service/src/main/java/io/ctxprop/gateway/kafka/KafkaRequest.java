package io.ctxprop.gateway.kafka;

/**
 * A request record, read and checked.
 *
 * @param correlationId the caller's {@code kafka_correlationId}, else the record key, else a generated id
 * @param replyTopic    the caller's {@code kafka_replyTopic}, else {@code llm.replies}
 * @param replyPartition the caller's {@code kafka_replyPartition}, or null to let the producer choose
 * @param stream        {@code ctxprop-stream: true}: answered by chunk records, then a last record
 */
record KafkaRequest(String text, byte[] correlationId, String replyTopic, Integer replyPartition, boolean stream) {
}
