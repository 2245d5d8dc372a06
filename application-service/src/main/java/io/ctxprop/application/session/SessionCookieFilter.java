package io.ctxprop.application.session;

import io.ctxprop.telemetry.attributes.OpenInferenceAttributes;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Arrays;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Keeps a session id per browser (an HttpOnly cookie) and puts it into the request's baggage as
 * {@code session.id}: it travels with the trace context over HTTP and Kafka, and both services stamp it
 * on their spans (OpenInference {@code session.id}), so Phoenix's Sessions view groups a user's
 * requests. Runs inside the request's root span, which it stamps too. A new session's cookie is set only
 * on a successful answer ({@link CookieOnSuccess}): an error sets no cookie.
 */
public final class SessionCookieFilter extends OncePerRequestFilter {

    static final String COOKIE = "session_id";
    private static final Pattern SESSION_ID = Pattern.compile("[0-9a-f-]{36}");

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String sessionId = existing(request);
        HttpServletResponse answer = response;
        if (sessionId == null) {
            sessionId = UUID.randomUUID().toString();
            Cookie cookie = new Cookie(COOKIE, sessionId);
            cookie.setHttpOnly(true);
            cookie.setPath("/");
            cookie.setAttribute("SameSite", "Lax");
            answer = new CookieOnSuccess(response, cookie);
        }
        Span.current().setAttribute(OpenInferenceAttributes.SESSION_ID, sessionId);
        Baggage baggage = Baggage.current().toBuilder().put(OpenInferenceAttributes.SESSION_ID.getKey(), sessionId).build();
        try (Scope ignored = Context.current().with(baggage).makeCurrent()) {
            chain.doFilter(request, answer);
        }
        if (answer instanceof CookieOnSuccess withCookie) {
            withCookie.beforeCommit();
        }
    }

    /** The browser's session id, when it sent a well-formed one; else null. */
    public static String existing(HttpServletRequest request) {
        if (request.getCookies() == null) {
            return null;
        }
        return Arrays.stream(request.getCookies())
                .filter(cookie -> cookie.getName().equals(COOKIE) && SESSION_ID.matcher(cookie.getValue()).matches())
                .map(Cookie::getValue).findFirst().orElse(null);
    }
}
