package io.ctxprop.gateway.process;

import static io.ctxprop.telemetry.testing.LocalAddresses.nonLoopbackAddress;

import static io.ctxprop.telemetry.testing.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ctxprop.gateway.GatewayApplication;
import io.ctxprop.telemetry.testing.InMemoryTracing;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Import;

/**
 * The gateway bound beyond loopback, as compose runs it: {@code /process} and {@code /process/stream}
 * need {@code GATEWAY_API_KEY} as a bearer token (a 401 problem with the trace id and a challenge
 * otherwise), the health probes stay open, the status page needs {@code INSPECTOR_READ_KEY}, and the
 * key shows up in no span, reply or log line. Without a key, a gateway beyond loopback does not start.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"server.address=0.0.0.0", "gateway.api-key=" + GatewayKeyTest.KEY, "inspector.read-key=" + GatewayKeyTest.READ_KEY})
@Import(InMemoryTracing.class)
@ExtendWith(OutputCaptureExtension.class)
class GatewayKeyTest {

    static final String KEY = "gateway-key-sentinel-91d0";
    static final String READ_KEY = "read-key-sentinel-5be3";

    @Autowired
    InMemorySpanExporter spans;

    @Value("${local.server.port}")
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void processNeedsTheKeyAndAnswersWithIt(CapturedOutput output) throws Exception {
        String host = nonLoopbackAddress();
        for (String path : List.of("/process", "/process/stream")) {
            for (String authorization : new String[] {null, "Bearer wrong", "Bearer " + READ_KEY, "Basic " + KEY}) {
                var refused = post(host, path, authorization);
                assertProblem(refused, 401, "Unauthorized");
                assertThat(refused.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"gateway\"");
                assertThat(refused.body()).contains("GATEWAY_API_KEY").doesNotContain(KEY);
            }
        }
        var answered = post(host, "/process", "Bearer " + KEY);
        assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
        assertThat(answered.body()).contains("\"response\"");
        var streamed = post(host, "/process/stream", "Bearer " + KEY);
        assertThat(streamed.statusCode()).isEqualTo(200);
        assertThat(streamed.body()).contains("event: done");
        assertThat(get(host, "/actuator/health/readiness", null).statusCode()).as("probes stay open").isEqualTo(200);

        assertThat(spans.getFinishedSpanItems().toString()).doesNotContain(KEY);
        assertThat(output.getAll()).doesNotContain(KEY).contains("Listening on 0.0.0.0 (beyond loopback");
    }

    /** Other spellings of the path reach the model neither: each is refused or not found, never answered without the key. */
    @Test
    void noSpellingOfTheProcessPathAnswersWithoutTheKey() throws Exception {
        String host = nonLoopbackAddress();
        for (String path : List.of("/process;x", "//process", "/process/", "/process/stream;x", "//process/stream", "/process/stream/",
                "/PROCESS", "/process%2f", "/./process", "/x/../process")) {
            var response = post(host, path, null);
            assertThat(response.statusCode()).as(path + ": " + response.body()).isIn(400, 401, 404);
            assertThat(response.body()).as(path).doesNotContain("\"response\"").doesNotContain("event: done");
        }
    }

    @Test
    void theStatusPageBeyondLoopbackNeedsTheReadKey() throws Exception {
        String host = nonLoopbackAddress();
        assertThat(get(host, "/", null).statusCode()).isEqualTo(401);
        assertThat(get(host, "/", "Bearer " + KEY).statusCode()).as("the gateway's key is not the read key").isEqualTo(401);
        var page = get(host, "/", "Bearer " + READ_KEY);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).doesNotContain(KEY).doesNotContain(READ_KEY);
    }

    @Test
    void beyondLoopbackWithoutAKeyTheGatewayDoesNotStart() {
        assertThatThrownBy(() -> new SpringApplicationBuilder(GatewayApplication.class)
                .run("--server.address=0.0.0.0", "--server.port=0", "--gateway.api-key=").close())
                .hasStackTraceContaining("without GATEWAY_API_KEY");
    }

    private HttpResponse<String> post(String host, String path, String authorization) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"spend my key\"}"));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String host, String path, String authorization) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + path));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
