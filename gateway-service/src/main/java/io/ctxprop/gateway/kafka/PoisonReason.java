package io.ctxprop.gateway.kafka;

/** Why a request record cannot be answered; the code goes into the dead letter's {@code dlt-reason} header. */
enum PoisonReason {
    EMPTY_VALUE("empty-value", "The record has no value."),
    UNDESERIALIZABLE_VALUE("undeserializable-value", "The value is neither a JSON object nor UTF-8 text."),
    MISSING_TEXT("missing-text", "The JSON value has no non-blank \"text\" string."),
    TEXT_TOO_LARGE("text-too-large", "The text is longer than the gateway accepts."),
    INVALID_TRACEPARENT("invalid-traceparent", "The traceparent header is not a valid W3C traceparent."),
    DUPLICATE_TRACEPARENT("duplicate-traceparent", "The record carries more than one traceparent header."),
    INVALID_BAGGAGE("invalid-baggage", "The baggage header breaks the W3C limits (8192 bytes, 180 members) or is not UTF-8."),
    GARBAGE_HEADER("garbage-header", "A header this gateway reads is not valid UTF-8 text.");

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
