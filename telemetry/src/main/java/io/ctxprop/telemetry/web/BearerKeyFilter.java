package io.ctxprop.telemetry.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Lets a request through only with {@code Authorization: Bearer <key>}; otherwise a 401 problem+json
 * (with the trace id when the filter runs inside a server span) and {@code WWW-Authenticate: Bearer}.
 * Register it on the exact paths it guards; the health probes stay outside.
 */
public final class BearerKeyFilter extends OncePerRequestFilter {

    private final BearerKey key;
    private final String realm;
    private final String variable;

    /**
     * @param realm    what the key opens, named in the challenge
     * @param variable the environment variable that holds the key, named in the problem's detail
     */
    public BearerKeyFilter(BearerKey key, String realm, String variable) {
        this.key = key;
        this.realm = realm;
        this.variable = variable;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (key.admits(request)) {
            chain.doFilter(request, response);
            return;
        }
        response.setHeader("WWW-Authenticate", "Bearer realm=\"" + realm + "\"");
        ProblemResponses.write(response, 401, "Unauthorized",
                "This endpoint needs Authorization: Bearer <key>, the key in " + variable + ".");
    }
}
