package io.ctxprop.gateway.kafka;

/**
 * Why a request record cannot be answered; the code goes into the dead letter's {@code dlt-reason} header.
 * Only the request's own content and reply routing are reasons: broken trace headers never are (the
 * request is answered in a new trace).
 */
enum PoisonReason {
    EMPTY_VALUE("empty-value", "The record has no value."),
    UNDESERIALIZABLE_VALUE("undeserializable-value", "The value is neither a JSON object nor UTF-8 text."),
    MISSING_TEXT("missing-text", "The JSON value has no non-blank \"text\" string."),
    TEXT_TOO_LARGE("text-too-large", "The text is longer than the gateway accepts."),
    GARBAGE_HEADER("garbage-header", "A header this gateway reads is not what it should be."),
    INVALID_REPLY_PARTITION("invalid-reply-partition", "kafka_replyPartition names no partition of the reply topic."),
    REPLY_TOPIC_NOT_ALLOWED("reply-topic-not-allowed", "kafka_replyTopic names a topic that is not on the gateway's list of reply topics (llm.kafka.reply-topics)."),
    UNKNOWN_REPLY_TOPIC("unknown-reply-topic", "kafka_replyTopic names a topic that does not exist (the gateway never creates one on a client's say-so)."),
    PROCESSING_FAILED("processing-failed", "Answering failed on every attempt.");

    private final String code;
    private final String sentence;

    PoisonReason(String code, String sentence) {
        this.code = code;
        this.sentence = sentence;
    }

    String code() {
        return code;
    }

    String sentence() {
        return sentence;
    }
}
