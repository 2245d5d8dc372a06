package io.ctxprop.telemetry.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.function.Predicate;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Applies {@link ReadAccess} to the pages it is registered on. A request the rule refuses, on a path
 * where a caller may still see what is their own (the form's frame of the trace it just made), goes on
 * marked {@link #OWN_ONLY}: the page then shows only what belongs to the caller's session.
 */
public final class ReadAccessFilter extends OncePerRequestFilter {

    /** Request attribute: the caller may read only what belongs to its own session. */
    public static final String OWN_ONLY = ReadAccessFilter.class.getName() + ".own-only";

    private final ReadAccess access;
    private final Predicate<HttpServletRequest> ownPath;

    /** @param ownPath the requests that may go on as {@link #OWN_ONLY} when refused */
    public ReadAccessFilter(ReadAccess access, Predicate<HttpServletRequest> ownPath) {
        this.access = access;
        this.ownPath = ownPath;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (access.enabled() && (!access.beyondLoopback()
                || access.readKey().map(key -> key.admitsBearerOrBasic(request)).orElse(false))) {
            chain.doFilter(request, response);
            return;
        }
        if (ownPath.test(request)) {
            request.setAttribute(OWN_ONLY, Boolean.TRUE);
            chain.doFilter(request, response);
            return;
        }
        if (!access.enabled()) {
            ProblemResponses.write(response, 404, "Not Found", "The trace pages are off (INSPECTOR_ENABLED=false).");
        } else if (access.readKey().isEmpty()) {
            ProblemResponses.write(response, 403, "Forbidden", "This service listens beyond loopback and INSPECTOR_READ_KEY is not set: "
                    + "the pages that show prompts are closed to every caller.");
        } else {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"traces\", Basic realm=\"traces\"");
            ProblemResponses.write(response, 401, "Unauthorized",
                    "This service listens beyond loopback: its pages need the key in INSPECTOR_READ_KEY (Bearer, or as a Basic password).");
        }
    }
}
