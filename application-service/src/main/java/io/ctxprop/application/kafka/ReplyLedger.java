package io.ctxprop.application.kafka;

import io.opentelemetry.context.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What this instance knows of each request it sent over Kafka, by correlation id: the context it was
 * sent from (the request's own span, parent of the reply's span when no context travelled), whether
 * the context went with it, and how it ended. Bounded: the oldest entries go first,
 * so a reply arriving after {@value #CAPACITY} newer requests is treated as unknown.
 */
final class ReplyLedger {

    static final int CAPACITY = 10_000;

    enum State { WAITING, ANSWERED, TIMED_OUT }

    record Entry(Context sentFrom, boolean propagated, State state) {
    }


    private final Map<String, Entry> entries = new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<String, ReplyLedger.Entry> eldest) {
            return size() > CAPACITY;
        }
    };

    synchronized void sent(String correlationId, Context sentFrom, boolean propagated) {
        entries.put(correlationId, new Entry(sentFrom, propagated, State.WAITING));
    }

    synchronized void mark(String correlationId, State state) {
        entries.computeIfPresent(correlationId, (id, entry) -> new Entry(entry.sentFrom(), entry.propagated(), state));
    }

    /** The entry, or null when the reply is for another instance (or too old to remember). */
    synchronized Entry find(String correlationId) {
        return entries.get(correlationId);
    }
}
