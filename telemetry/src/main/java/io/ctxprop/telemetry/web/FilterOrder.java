package io.ctxprop.telemetry.web;

import org.springframework.core.Ordered;

/**
 * The order of the services' servlet filters. The server span opens first, so every answer after it
 * (a 401, a 413) carries the request's trace id; the caller is authenticated before the body's size
 * is looked at, so an anonymous caller learns nothing but "unauthorized".
 */
public final class FilterOrder {

    // All of them before Spring's own body readers (FormContentFilter, at -9900), so no body is read unbounded.

    /** {@link LoopbackHostFilter}: before the span, so a request for another host name makes none. */
    public static final int LOOPBACK_HOST = Ordered.HIGHEST_PRECEDENCE + 5;
    /** {@link ServerSpanFilter}: the root of the request's trace. */
    public static final int SERVER_SPAN = Ordered.HIGHEST_PRECEDENCE + 10;
    /** Inside the span: the application's session cookie. */
    public static final int SESSION = SERVER_SPAN + 1;
    /** {@link BearerKeyFilter} and {@link ReadAccessFilter}. */
    public static final int AUTHENTICATION = SERVER_SPAN + 2;
    /** {@link RequestSizeLimitFilter}. */
    public static final int REQUEST_SIZE_LIMIT = SERVER_SPAN + 10;

    private FilterOrder() {
    }
}
