package io.ctxprop.telemetry.attributes;

import io.opentelemetry.api.common.AttributeKey;

/** The attributes of the Python original, kept so its dashboards and queries still work. */
public final class SeedAttributes {

    private SeedAttributes() {
    }

    public static final AttributeKey<Long> TEXT_LENGTH = AttributeKey.longKey("text.length");
    public static final AttributeKey<String> MODEL_NAME = AttributeKey.stringKey("model.name");
    public static final AttributeKey<Boolean> CONTEXT_PROPAGATION_ENABLED = AttributeKey.booleanKey("context_propagation_enabled");
    public static final AttributeKey<String> GATEWAY_URL = AttributeKey.stringKey("gateway.url");
    public static final AttributeKey<Boolean> CONTEXT_PROPAGATED = AttributeKey.booleanKey("context_propagated");
    public static final AttributeKey<Long> GATEWAY_RESPONSE_STATUS = AttributeKey.longKey("gateway.response.status");
    public static final AttributeKey<String> GATEWAY_RESPONSE_ERROR = AttributeKey.stringKey("gateway.response.error");
}
