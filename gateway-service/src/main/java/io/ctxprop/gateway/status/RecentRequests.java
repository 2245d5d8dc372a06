package io.ctxprop.gateway.status;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.springframework.stereotype.Component;

/** The last few requests the gateway handled, newest first, for its status page. */
@Component
public class RecentRequests {

    static final int CAPACITY = 20;

    public record RecentRequest(Instant at, String transport, String traceId, int textLength, String outcome, long latencyMs) {
    }

    private final Deque<RecentRequest> requests = new ArrayDeque<>(CAPACITY);

    public void record(String transport, String traceId, int textLength, String outcome, long startedNanos) {
        long latencyMs = Duration.ofNanos(System.nanoTime() - startedNanos).toMillis();
        var request = new RecentRequest(Instant.now(), transport, traceId, textLength, outcome, latencyMs);
        synchronized (requests) {
            if (requests.size() == CAPACITY) {
                requests.removeLast();
            }
            requests.addFirst(request);
        }
    }

    public List<RecentRequest> newestFirst() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }
}
