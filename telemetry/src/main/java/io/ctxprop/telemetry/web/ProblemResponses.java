package io.ctxprop.telemetry.web;

import io.ctxprop.telemetry.propagation.TraceIds;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** problem+json written by a servlet filter, before Spring MVC and its message converters are involved (no cookie, no body read). */
public final class ProblemResponses {

    private ProblemResponses() {
    }

    public static void write(HttpServletResponse response, int status, String title, String detail) throws IOException {
        String traceId = TraceIds.current();
        String body = "{\"type\":\"about:blank\",\"title\":\"" + escape(title) + "\",\"status\":" + status
                + ",\"detail\":\"" + escape(detail) + "\"" + (traceId == null ? "" : ",\"traceId\":\"" + traceId + "\"") + "}";
        response.setStatus(status);
        response.setContentType("application/problem+json");
        response.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
    }

    private static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> escaped.append("\\\"");
                case '\\' -> escaped.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        escaped.append(String.format("\\u%04x", (int) c));
                    } else {
                        escaped.append(c);
                    }
                }
            }
        }
        return escaped.toString();
    }
}
