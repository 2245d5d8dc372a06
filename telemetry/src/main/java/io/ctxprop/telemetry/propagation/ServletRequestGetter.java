package io.ctxprop.telemetry.propagation;

import io.opentelemetry.context.propagation.TextMapGetter;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Collections;
import java.util.Iterator;

/** Reads trace context from the headers of an incoming servlet request. */
public enum ServletRequestGetter implements TextMapGetter<HttpServletRequest> {
    INSTANCE;

    @Override
    public Iterable<String> keys(HttpServletRequest carrier) {
        return carrier == null ? Collections.emptyList() : Collections.list(carrier.getHeaderNames());
    }

    @Override
    public String get(HttpServletRequest carrier, String key) {
        return carrier == null ? null : carrier.getHeader(key);
    }

    @Override
    public Iterator<String> getAll(HttpServletRequest carrier, String key) {
        return carrier == null ? Collections.emptyIterator() : carrier.getHeaders(key).asIterator();
    }
}
