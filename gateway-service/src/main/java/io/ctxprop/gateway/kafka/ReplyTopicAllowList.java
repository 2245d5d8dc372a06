package io.ctxprop.gateway.kafka;

import java.util.List;

/**
 * The reply topics a request may name ({@code llm.kafka.reply-topics}, {@code LLM_KAFKA_REPLY_TOPICS}):
 * exact names, and prefixes written {@code name.*} (any topic that starts with {@code name.} and goes on).
 * Everything else is refused before the model is called: a client must not make the gateway write
 * into the request topic, the dead-letter topic, an internal topic or another application's topic.
 * The request topic, the dead-letter topic and internal topics ({@code __*}) are refused whatever the
 * list says, so a broad entry ({@code llm.*}) cannot admit them.
 */
final class ReplyTopicAllowList {

    private final List<String> exact;
    private final List<String> prefixes;
    private final List<String> neverAllowed;

    /** @param neverAllowed the gateway's own request and dead-letter topics: refused even when an entry matches them */
    ReplyTopicAllowList(List<String> entries, List<String> neverAllowed) {
        this.neverAllowed = List.copyOf(neverAllowed);
        this.exact = entries.stream().map(String::strip).filter(entry -> !entry.isEmpty() && !entry.endsWith(".*")).toList();
        this.prefixes = entries.stream().map(String::strip).filter(entry -> entry.endsWith(".*"))
                .map(entry -> entry.substring(0, entry.length() - 1)).toList();
    }

    boolean allows(String topic) {
        if (neverAllowed.contains(topic) || topic.startsWith("__")) {
            return false;
        }
        return exact.contains(topic)
                || prefixes.stream().anyMatch(prefix -> topic.startsWith(prefix) && topic.length() > prefix.length());
    }

    /** @throws PoisonRecord {@code reply-topic-not-allowed} for a topic off the list */
    void check(String topic) {
        if (!allows(topic)) {
            throw new PoisonRecord(PoisonReason.REPLY_TOPIC_NOT_ALLOWED, "It is \"" + topic + "\".");
        }
    }

    @Override
    public String toString() {
        return String.join(",", exact) + (prefixes.isEmpty() || exact.isEmpty() ? "" : ",")
                + String.join(",", prefixes.stream().map(prefix -> prefix + "*").toList());
    }
}
