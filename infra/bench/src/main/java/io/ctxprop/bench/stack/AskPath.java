package io.ctxprop.bench.stack;

import java.util.Set;

/**
 * The transports of {@code POST /api/ask}, with the spans a whole trace of each has (design.md,
 * "The trace"); {@code chat} stands for {@code chat <model>}, and {@code {requests}} and
 * {@code {replies}} for the stack's topics.
 */
public enum AskPath {
    HTTP("http", Set.of("application_process_request", "gateway_request", "llm_gateway_process", "chat")),
    KAFKA("kafka", Set.of("application_process_request", "send {requests}", "process {requests}",
            "llm_gateway_process", "chat", "send {replies}", "process {replies}")),
    BOTH("both", union(HTTP.spans, KAFKA.spans));

    /** The application's SERVER span, the root of every request's trace. */
    public static final String ROOT_SPAN = "application_process_request";

    private final String transport;
    private final Set<String> spans;

    AskPath(String transport, Set<String> spans) {
        this.transport = transport;
        this.spans = spans;
    }

    public String transport() {
        return transport;
    }

    public int answers() {
        return this == BOTH ? 2 : 1;
    }

    /** Whether the names seen for a trace include every span a whole trace of this path has. */
    public boolean complete(Set<String> names, String requestsTopic, String repliesTopic) {
        return spans.stream()
                .map(span -> span.replace("{requests}", requestsTopic).replace("{replies}", repliesTopic))
                .allMatch(names::contains);
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        var all = new java.util.HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }
}
