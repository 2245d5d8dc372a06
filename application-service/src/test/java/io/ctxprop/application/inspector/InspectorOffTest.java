package io.ctxprop.application.inspector;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The application beyond loopback with {@code INSPECTOR_ENABLED=false} and no ingest key: the trace
 * pages are gone for every caller (404), and the OTLP receiver takes nothing (403), from this
 * machine's own non-loopback address as from loopback.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {"server.address=0.0.0.0", "inspector.enabled=false"})
class InspectorOffTest {

    @Value("${local.server.port}")
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void thePagesAreOffAndIngestIsClosed() throws Exception {
        for (String host : List.of(io.ctxprop.telemetry.testing.LocalAddresses.nonLoopbackAddress(), "127.0.0.1")) {
            for (String path : List.of("/traces", "/traces/" + "a".repeat(32))) {
                var off = http.send(HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + path)).header("Accept", "application/json")
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(off.statusCode()).as(host + path).isEqualTo(404);
                assertThat(off.body()).contains("INSPECTOR_ENABLED=false");
            }
            var ingest = http.send(HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/v1/traces"))
                    .header("Content-Type", "application/x-protobuf").POST(HttpRequest.BodyPublishers.ofByteArray(new byte[0])).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ingest.statusCode()).as(host + " ingest").isEqualTo(403);
            assertThat(ingest.body()).contains("INSPECTOR_INGEST_KEY is not set");
        }
    }
}
