package io.ctxprop.telemetry.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Against DNS rebinding: on loopback the pages that show prompts need no key and {@code /api/ask} is
 * open, so a web site that rebinds its own name to 127.0.0.1 could read them through the user's
 * browser. The browser still sends the site's name as {@code Host}: a service listening on loopback
 * only answers requests addressed to {@code localhost}, {@code 127.0.0.1}, {@code [::1]} or its own
 * {@code SERVER_ADDRESS}, and refuses any other name with 421. Health probes stay open. Beyond
 * loopback it checks nothing (the keys apply there). It runs before the server span: a refused
 * request makes no span.
 */
public final class LoopbackHostFilter extends OncePerRequestFilter {

    private final Set<String> names;

    /** @param serverAddress {@code server.address}, also accepted as a name (blank for none) */
    public LoopbackHostFilter(String serverAddress) {
        // a set that takes duplicates: SERVER_ADDRESS is 127.0.0.1 by default
        this.names = Stream.of("localhost", "127.0.0.1", "[::1]", serverAddress).map(LoopbackHostFilter::bare)
                .filter(name -> !name.isEmpty()).collect(Collectors.toUnmodifiableSet());
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI();
        return path.equals("/actuator/health") || path.startsWith("/actuator/health/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String host = request.getHeader("Host");
        if (host != null && !names.contains(bare(nameOf(host)))) {
            ProblemResponses.write(response, 421, "Misdirected Request", "This service listens on loopback only and answers "
                    + "requests addressed to localhost, 127.0.0.1 or [::1]: another name here is a web site rebinding its name "
                    + "to this machine.");
            return;
        }
        chain.doFilter(request, response);
    }

    /** The name of a Host header, without its port: {@code [::1]:5000} is {@code [::1]}, {@code localhost:5000} is {@code localhost}. */
    private static String nameOf(String host) {
        String value = host.strip();
        if (value.startsWith("[")) {
            int end = value.indexOf(']');
            return end < 0 ? value : value.substring(0, end + 1);
        }
        int port = value.indexOf(':');
        return port < 0 ? value : value.substring(0, port);
    }

    /** The name in lower case; an IPv6 literal without its brackets, in one spelling ({@code ::1} and {@code 0:0:0:0:0:0:0:1} alike). */
    private static String bare(String name) {
        String lower = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        if (lower.startsWith("[") && lower.endsWith("]")) {
            lower = lower.substring(1, lower.length() - 1);
        }
        if (lower.indexOf(':') < 0) {
            return lower;
        }
        try {
            return InetAddress.getByName(lower).getHostAddress(); // a literal: parsed, never looked up
        } catch (UnknownHostException notALiteral) {
            return lower;
        }
    }
}
