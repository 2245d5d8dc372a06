package io.ctxprop.telemetry.propagation;

import io.opentelemetry.context.propagation.TextMapSetter;
import org.springframework.http.HttpHeaders;

/** Writes trace context into outgoing Spring {@link HttpHeaders}, replacing any earlier value. */
public enum HttpHeadersSetter implements TextMapSetter<HttpHeaders> {
    INSTANCE;

    @Override
    public void set(HttpHeaders carrier, String key, String value) {
        if (carrier != null) {
            carrier.set(key, value);
        }
    }
}
