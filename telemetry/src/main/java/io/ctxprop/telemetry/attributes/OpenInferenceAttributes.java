package io.ctxprop.telemetry.attributes;

import io.opentelemetry.api.common.AttributeKey;

/**
 * The OpenInference attribute names that Phoenix and Arize render. No OpenInference Java artifact
 * is published on Maven Central, so the names are kept here, as in the OpenInference specification.
 */
public final class OpenInferenceAttributes {

    private OpenInferenceAttributes() {
    }

    public static final AttributeKey<String> SPAN_KIND = AttributeKey.stringKey("openinference.span.kind");
    public static final String KIND_CHAIN = "CHAIN";
    public static final String KIND_LLM = "LLM";

    public static final AttributeKey<String> INPUT_VALUE = AttributeKey.stringKey("input.value");
    public static final AttributeKey<String> INPUT_MIME_TYPE = AttributeKey.stringKey("input.mime_type");
    public static final AttributeKey<String> OUTPUT_VALUE = AttributeKey.stringKey("output.value");
    public static final AttributeKey<String> OUTPUT_MIME_TYPE = AttributeKey.stringKey("output.mime_type");
    public static final String MIME_TEXT = "text/plain";

    public static final AttributeKey<String> LLM_MODEL_NAME = AttributeKey.stringKey("llm.model_name");
    public static final AttributeKey<String> LLM_PROVIDER = AttributeKey.stringKey("llm.provider");
    public static final AttributeKey<String> LLM_SYSTEM = AttributeKey.stringKey("llm.system");
    public static final AttributeKey<String> LLM_INVOCATION_PARAMETERS = AttributeKey.stringKey("llm.invocation_parameters");
    public static final AttributeKey<Long> LLM_TOKEN_COUNT_PROMPT = AttributeKey.longKey("llm.token_count.prompt");
    public static final AttributeKey<Long> LLM_TOKEN_COUNT_COMPLETION = AttributeKey.longKey("llm.token_count.completion");
    public static final AttributeKey<Long> LLM_TOKEN_COUNT_TOTAL = AttributeKey.longKey("llm.token_count.total");

    public static final AttributeKey<String> SESSION_ID = AttributeKey.stringKey("session.id");

    /** {@code llm.input_messages.<index>.message.role}. */
    public static AttributeKey<String> inputMessageRole(int index) {
        return AttributeKey.stringKey("llm.input_messages." + index + ".message.role");
    }

    /** {@code llm.input_messages.<index>.message.content}. */
    public static AttributeKey<String> inputMessageContent(int index) {
        return AttributeKey.stringKey("llm.input_messages." + index + ".message.content");
    }

    /** {@code llm.output_messages.<index>.message.role}. */
    public static AttributeKey<String> outputMessageRole(int index) {
        return AttributeKey.stringKey("llm.output_messages." + index + ".message.role");
    }

    /** {@code llm.output_messages.<index>.message.content}. */
    public static AttributeKey<String> outputMessageContent(int index) {
        return AttributeKey.stringKey("llm.output_messages." + index + ".message.content");
    }
}
