package io.ctxprop.application.prompt;

import java.util.List;

/** The reply of {@code POST /api/ask}: the trace the request started, and an answer per hop. */
public record AskResponse(String traceId, List<Answer> answers) {
}
