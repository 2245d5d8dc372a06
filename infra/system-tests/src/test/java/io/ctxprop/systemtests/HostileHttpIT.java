package io.ctxprop.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hostile HTTP requests on both services' endpoints: wrong methods, content types, huge and broken
 * bodies, invalid trace headers. Only documented statuses come back, errors as problem+json with a
 * trace id (every 413 too, the 2 MB body's included) and no cookie, never a 500 and never a stack trace.
 */
class HostileHttpIT {

    static final Set<Integer> DOCUMENTED = Set.of(200, 400, 404, 405, 413, 415);

    static Stack stack;
    static ServiceProcess gateway;
    static ServiceProcess application;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        stack = new Stack();
        gateway = stack.gateway("gateway-hostile-http", Map.of());
        application = stack.application("application-hostile-http", gateway, Map.of());
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    @Test
    void onlyDocumentedAnswersComeBack() throws Exception {
        List<Function<String, HttpRequest>> hostile = hostileRequests();
        int rounds = ReliabilityReport.count(1000, 120) / hostile.size() + 1;
        Map<Integer, Integer> statuses = new TreeMap<>();
        int sent = 0;
        List<String> undocumented = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            for (var request : hostile) {
                for (String base : List.of(application.baseUrl(), gateway.baseUrl())) {
                    HttpRequest built = request.apply(base);
                    HttpResponse<String> response = http.send(built, HttpResponse.BodyHandlers.ofString());
                    sent++;
                    statuses.merge(response.statusCode(), 1, Integer::sum);
                    boolean problem = response.statusCode() >= 400;
                    boolean ok = DOCUMENTED.contains(response.statusCode())
                            && !response.body().contains("Exception") && !response.body().contains("\tat ")
                            && (!problem || (response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json")
                                    && response.body().contains("\"status\":" + response.statusCode())
                                    && response.headers().allValues("Set-Cookie").isEmpty()))
                            && (response.statusCode() != 413 || response.body().contains("\"traceId\":\""));
                    if (!ok) {
                        undocumented.add(built.method() + " " + built.uri() + " -> " + response.statusCode() + " " + response.body());
                    }
                }
            }
        }
        ReliabilityReport.record("hostile HTTP requests, both services", "sent", sent, "statuses", statuses,
                "undocumented answers", undocumented.size());
        assertThat(undocumented).isEmpty();
        assertThat(statuses).doesNotContainKey(500);
    }

    private static List<Function<String, HttpRequest>> hostileRequests() {
        String huge = "{\"text\":\"" + "h".repeat(2_000_000) + "\"}";
        return List.of(
                base -> HttpRequest.newBuilder(URI.create(base + path(base))).PUT(HttpRequest.BodyPublishers.ofString("{}"))
                        .header("Content-Type", "application/json").build(),
                base -> HttpRequest.newBuilder(URI.create(base + path(base))).DELETE().build(),
                base -> HttpRequest.newBuilder(URI.create(base + path(base))).POST(HttpRequest.BodyPublishers.ofString("text=hi"))
                        .header("Content-Type", "application/x-www-form-urlencoded").build(),
                base -> HttpRequest.newBuilder(URI.create(base + path(base))).POST(HttpRequest.BodyPublishers.ofString("<xml/>"))
                        .header("Content-Type", "application/xml").build(),
                base -> HttpRequest.newBuilder(URI.create(base + path(base))).POST(HttpRequest.BodyPublishers.ofString(huge))
                        .header("Content-Type", "application/json").build(),
                base -> HttpRequest.newBuilder(URI.create(base + path(base))).POST(HttpRequest.BodyPublishers.ofString("{\"text\": [1, 2"))
                        .header("Content-Type", "application/json").build(),
                base -> HttpRequest.newBuilder(URI.create(base + path(base))).POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {(byte) 0xff, 0, 1}))
                        .header("Content-Type", "application/json").build(),
                base -> HttpRequest.newBuilder(URI.create(base + path(base))).POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"ok\"}"))
                        .header("Content-Type", "application/json").header("traceparent", "00-zzzz-nope-01")
                        .header("baggage", "=;;,,%%%,k=" + "v".repeat(10_000)).build(),
                base -> HttpRequest.newBuilder(URI.create(base + path(base))).POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"ok\"}"))
                        .header("Content-Type", "application/json").header("traceparent", "ff-" + "f".repeat(32) + "-" + "f".repeat(16) + "-ff")
                        .header("tracestate", "x".repeat(5000)).build(),
                base -> HttpRequest.newBuilder(URI.create(base + "/no/such/page")).GET().build(),
                base -> HttpRequest.newBuilder(URI.create(base + "/traces/%3Cscript%3Ealert(1)%3C%20script%3E")).GET().build());
    }

    private static String path(String base) {
        return base.equals(application.baseUrl()) ? "/api/ask" : "/process";
    }
}
