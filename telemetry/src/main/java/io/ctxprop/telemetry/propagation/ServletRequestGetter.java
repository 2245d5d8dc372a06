package io.ctxprop.telemetry.propagation;

import io.opentelemetry.context.propagation.TextMapGetter;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * Reads trace context from the headers of an incoming servlet request. A baggage header over the W3C
 * limits is not read at all: the request continues its trace without that baggage.
 */
public enum ServletRequestGetter implements TextMapGetter<HttpServletRequest> {
    INSTANCE;

    @Override
    public Iterable<String> keys(HttpServletRequest carrier) {
        return carrier == null ? Collections.emptyList() : Collections.list(carrier.getHeaderNames());
    }

    @Override
    public String get(HttpServletRequest carrier, String key) {
        if (carrier == null || key == null) {
            return null;
        }
        String value = carrier.getHeader(key);
        return key.equalsIgnoreCase("baggage") && !W3cBaggageLimits.within(value) ? null : value;
    }

    @Override
    public Iterator<String> getAll(HttpServletRequest carrier, String key) {
        if (carrier == null || key == null) {
            return Collections.emptyIterator();
        }
        List<String> values = Collections.list(carrier.getHeaders(key));
        if (key.equalsIgnoreCase("baggage")
                && !W3cBaggageLimits.within(values.size() == 1 ? values.getFirst() : String.join(",", values))) {
            return Collections.emptyIterator();
        }
        return values.iterator();
    }
}
