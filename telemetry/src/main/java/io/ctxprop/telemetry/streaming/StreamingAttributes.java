package io.ctxprop.telemetry.streaming;

import io.opentelemetry.api.common.AttributeKey;

/** What the spans of a streamed answer say about the stream. */
public final class StreamingAttributes {

    private StreamingAttributes() {
    }

    /**
     * The GenAI convention's time to first chunk on the LLM span, in seconds from the request to the
     * model to its first chunk (incubating: a local constant, like the other GenAI names).
     */
    public static final AttributeKey<Double> RESPONSE_TIME_TO_FIRST_CHUNK = AttributeKey.doubleKey("gen_ai.response.time_to_first_chunk");

    /** The event on every span that saw the first chunk of an answer pass, at the moment it did. */
    public static final String FIRST_CHUNK_EVENT = "first_chunk";

    /** Chunks of the answer a span saw pass (written, sent or received in order). */
    public static final AttributeKey<Long> CHUNKS = AttributeKey.longKey("ctxprop.stream.chunks");

    /** Records of the answer a reader dropped because it had them already (a redelivered request's repeats). */
    public static final AttributeKey<Long> DUPLICATES = AttributeKey.longKey("ctxprop.stream.duplicates");

    /** How a stream ended when not with its whole answer: {@code cancelled} (the reader left) or {@code failed}. */
    public static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("ctxprop.stream.outcome");

    /** True on the spans of a streamed request (the request asked for the answer as it is written). */
    public static final AttributeKey<Boolean> STREAMED = AttributeKey.booleanKey("ctxprop.stream");
}
