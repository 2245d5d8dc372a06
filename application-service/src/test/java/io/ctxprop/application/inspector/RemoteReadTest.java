package io.ctxprop.application.inspector;

import static io.ctxprop.telemetry.testing.LocalAddresses.nonLoopbackAddress;

import static io.ctxprop.application.inspector.OtlpPayloads.span;
import static io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_SERVER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The application bound beyond loopback ({@code SERVER_ADDRESS=0.0.0.0}) with no
 * {@code INSPECTOR_READ_KEY}: a caller from another address (this machine's own non-loopback
 * address, so the connection's source is not loopback) cannot read {@code /traces} or a trace, and
 * neither can a loopback caller: the rule keys on where the service listens, not on who asks. The
 * form's frame still shows a caller the trace this service started for its session, and nobody else's,
 * not even to a caller who joined that trace.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"server.address=0.0.0.0", "inspector.ingest-key=" + RemoteReadTest.INGEST_KEY, "inspector.form-wait=50ms",
        "otel.bsp.schedule.delay=10ms"})
class RemoteReadTest {

    static final String INGEST_KEY = "remote-read-ingest-key";
    static final String TRACE = "5151515151515151515151515151abcd";
    private static final String NOT_SHOWN = "No span of this trace has arrived yet";

    @Autowired
    TraceStore store;

    @Value("${local.server.port}")
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theTracePagesAreClosedToEveryCallerWithoutAReadKey() throws Exception {
        String session = UUID.randomUUID().toString();
        ingest(session);
        String remote = nonLoopbackAddress();
        System.out.println("Remote read: asking from " + remote + " (the machine's own non-loopback address, or loopback if it has none)");

        for (String host : List.of(remote, "127.0.0.1")) {
            for (String path : List.of("/traces", "/traces/" + TRACE, "/traces?status=ok")) {
                for (String accept : List.of("text/html", "application/json")) {
                    var refused = get(host, path, accept, null);
                    assertThat(refused.statusCode()).as(host + path + " " + accept).isEqualTo(403);
                    assertThat(refused.body()).contains("INSPECTOR_READ_KEY").doesNotContain("secret prompt");
                }
            }
            assertThat(get(host, "/traces", "text/html", "Bearer anything").statusCode()).as("no key is configured: none opens it").isEqualTo(403);
        }
        assertThat(get(remote, "/actuator/health/readiness", "application/json", null).statusCode()).isEqualTo(200);
    }

    @Test
    void theFormsFrameShowsACallerOnlyTheTraceOfItsOwnSession() throws Exception {
        String session = UUID.randomUUID().toString();
        String trace = ask(session, null);
        String remote = nonLoopbackAddress();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(embed(remote, trace, session))
                .contains("application_process_request").doesNotContain(NOT_SHOWN));
        assertThat(embed(remote, trace, UUID.randomUUID().toString())).contains(NOT_SHOWN).doesNotContain("application_process_request");
        assertThat(get(remote, "/traces/" + trace + "/embed", "text/html", null).body()).contains(NOT_SHOWN);
    }

    /**
     * The attack on the frame: a caller who learned the victim's trace id joins that trace with a
     * traceparent and its own session cookie, so a span of the trace carries its session id; or, holding
     * the ingest key, sends a root span with its session id. Neither makes the victim's trace its own.
     */
    @Test
    void joiningSomeoneElsesTraceDoesNotMakeItYours() throws Exception {
        String victim = UUID.randomUUID().toString();
        String attacker = UUID.randomUUID().toString();
        String remote = nonLoopbackAddress();
        String trace = ask(victim, null);
        assertThat(ask(attacker, "00-" + trace + "-00f067aa0ba902b7-01")).isEqualTo(trace);
        ingest(trace, attacker);

        await().atMost(Duration.ofSeconds(10)).until(() -> store.find(trace).map(found -> found.spans().size()).orElse(0) >= 3);
        assertThat(store.find(trace).orElseThrow().spans()).anyMatch(span -> attacker.equals(span.attribute("session.id")));
        assertThat(embed(remote, trace, attacker)).contains(NOT_SHOWN).doesNotContain("application_process_request").doesNotContain("secret prompt");
        assertThat(embed(remote, trace, victim)).doesNotContain(NOT_SHOWN).contains("application_process_request");
    }

    /** Asks with an empty prompt (refused before any hop, but traced) as the session; the request's trace id. */
    private String ask(String session, String traceparent) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/ask"))
                .header("Content-Type", "application/json").header("Cookie", "session_id=" + session);
        if (traceparent != null) {
            request.header("traceparent", traceparent);
        }
        var response = http.send(request.POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(400);
        var traceId = Pattern.compile("\"traceId\":\"([0-9a-f]{32})\"").matcher(response.body());
        assertThat(traceId.find()).as(response.body()).isTrue();
        return traceId.group(1);
    }

    private String embed(String host, String trace, String session) throws Exception {
        return get(host, "/traces/" + trace + "/embed", "text/html", null, "session_id=" + session).body();
    }

    private void ingest(String session) throws Exception {
        ingest(TRACE, session);
    }

    private void ingest(String trace, String session) throws Exception {
        byte[] body = new OtlpPayloads().service("application-service", span(trace, "a000000000000001", "", "application_process_request",
                SPAN_KIND_SERVER, 1, 50, "session.id=" + session, "input.value=secret prompt of alice")).bytes();
        var response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/traces"))
                .header("Content-Type", "application/x-protobuf").header("Authorization", "Bearer " + INGEST_KEY)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> get(String host, String path, String accept, String authorization, String... cookie) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + path)).header("Accept", accept);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (cookie.length > 0) {
            request.header("Cookie", cookie[0]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
