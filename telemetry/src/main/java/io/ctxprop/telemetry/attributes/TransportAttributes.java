package io.ctxprop.telemetry.attributes;

import io.opentelemetry.api.common.AttributeKey;

/** Which way a prompt travelled, as spans, span events and metrics of both services say it. */
public final class TransportAttributes {

    private TransportAttributes() {
    }

    /** {@code http}, {@code kafka} or (on the root span) {@code both}. */
    public static final AttributeKey<String> TRANSPORT = AttributeKey.stringKey("transport");
}
