package io.ctxprop.bench.stack;

import io.ctxprop.bench.load.Call;
import io.ctxprop.bench.load.Outcome;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * One {@code POST /api/ask} over a path, as a browser's script would make it. A 200 with as many
 * answers as the path gives is a success; the trace id of each answer is kept, for the check that
 * every trace reached the backend whole.
 */
public final class AskCall implements Call {

    private static final Pattern TRACE_ID = Pattern.compile("\"traceId\":\"([0-9a-f]{32})\"");
    private static final Pattern ANSWER = Pattern.compile("\"transport\":\"");

    private static final Duration PRIMING = Duration.ofSeconds(1);

    private final HttpClient http;
    private final HttpRequest request;
    private final AskPath path;
    private final Set<String> traceIds = ConcurrentHashMap.newKeySet();

    public AskCall(HttpClient http, String applicationUrl, AskPath path, String text, Duration timeout) {
        this.http = http;
        this.path = path;
        this.request = HttpRequest.newBuilder(URI.create(applicationUrl + "/api/ask"))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"text\":\"" + text + "\",\"transport\":\"" + path.transport() + "\",\"propagate\":true}"))
                .build();
    }

    /** HTTP/1.1 with keep-alive, one connection per client, as browsers behind a proxy would. */
    public static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    }

    @Override
    public Outcome call() throws Exception {
        try {
            return outcome(http.send(request, HttpResponse.BodyHandlers.ofString()));
        } catch (HttpTimeoutException late) {
            return Outcome.TIMEOUT;
        }
    }

    private Outcome outcome(HttpResponse<String> response) {
        if (response.statusCode() == 504) {
            return Outcome.TIMEOUT;
        }
        if (response.statusCode() != 200 || ANSWER.matcher(response.body()).results().count() != path.answers()) {
            return Outcome.ERROR;
        }
        var traceId = TRACE_ID.matcher(response.body());
        if (traceId.find()) {
            traceIds.add(traceId.group(1));
        }
        return Outcome.OK;
    }

    /**
     * A few requests one after the other before the load: a path's first request in a fresh service
     * loads classes and opens connections, which is start-up, not the steady state measured here.
     */
    public void prime() throws Exception {
        long end = System.nanoTime() + PRIMING.toNanos();
        for (int i = 0; i < 20 && (i == 0 || System.nanoTime() < end); i++) {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (outcome(response) != Outcome.OK) {
                throw new IllegalStateException("the application does not answer over " + path.transport() + ": "
                        + response.statusCode() + " " + response.body());
            }
        }
        traceIds.clear();
    }

    public AskPath path() {
        return path;
    }

    public Set<String> traceIds() {
        return traceIds;
    }
}
