package io.ctxprop.bench.stack;

import java.util.Set;

/**
 * The transports of {@code POST /api/ask}, with the spans a whole trace of each has (design.md,
 * "The trace"); {@code chat} stands for {@code chat <model>}.
 */
public enum AskPath {
    HTTP("http", Set.of("application_process_request", "gateway_request", "llm_gateway_process", "chat")),
    KAFKA("kafka", Set.of("application_process_request", "send llm.requests", "process llm.requests",
            "llm_gateway_process", "chat", "send llm.replies", "process llm.replies")),
    BOTH("both", union(HTTP.spans, KAFKA.spans));

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
    public boolean complete(Set<String> names) {
        return names.containsAll(spans);
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        var all = new java.util.HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }
}
