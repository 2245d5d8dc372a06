package io.ctxprop.gateway.kafka;

import java.util.List;

/**
 * The reply topics a request may name ({@code llm.kafka.reply-topics}, {@code LLM_KAFKA_REPLY_TOPICS}):
 * exact names, and prefixes written {@code name.*} (any topic that starts with {@code name.} and goes on).
 * Everything else is refused before the model is called: a client must not make the gateway write
 * into the request topic, the dead-letter topic, an internal topic or another application's topic.
 */
final class ReplyTopicAllowList {

    private final List<String> exact;
    private final List<String> prefixes;

    ReplyTopicAllowList(List<String> entries) {
        this.exact = entries.stream().map(String::strip).filter(entry -> !entry.isEmpty() && !entry.endsWith(".*")).toList();
        this.prefixes = entries.stream().map(String::strip).filter(entry -> entry.endsWith(".*"))
                .map(entry -> entry.substring(0, entry.length() - 1)).toList();
    }

    boolean allows(String topic) {
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
