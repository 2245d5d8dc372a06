package io.ctxprop.application.prompt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ctxprop.application.gateway.GatewayStub;
import io.ctxprop.telemetry.testing.InMemoryTracing;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** With TRUST_INBOUND_TRACE_CONTEXT=false a caller's traceparent and baggage are ignored: every request is a new trace. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "prompt.trust-inbound-trace-context=false")
@Import(InMemoryTracing.class)
class UntrustedInboundContextTest {

    static final GatewayStub GATEWAY = GatewayStub.start();

    @DynamicPropertySource
    static void gateway(DynamicPropertyRegistry registry) {
        registry.add("gateway.url", GATEWAY::processUrl);
    }

    @Autowired
    InMemorySpanExporter spans;

    @Value("${local.server.port}")
    int port;

    @AfterAll
    static void stop() {
        GATEWAY.close();
    }

    @Test
    void aCallersTraceparentAndBaggageAreIgnored() throws Exception {
        String callerTrace = "0af7651916cd43dd8448eb211c80319c";
        var response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/ask"))
                .header("Content-Type", "application/json")
                .header("traceparent", "00-" + callerTrace + "-b7ad6b7169203331-01")
                .header("baggage", "tenant=evil")
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"fresh trace please\"}")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).doesNotContain(callerTrace);
        var root = await().atMost(Duration.ofSeconds(10)).until(() -> spans.getFinishedSpanItems().stream()
                .filter(span -> span.getName().equals("application_process_request")).findFirst(), java.util.Optional::isPresent).orElseThrow();
        assertThat(root.getParentSpanContext().isValid()).isFalse();
        assertThat(GATEWAY.received().getFirst().header("baggage")).doesNotContain("tenant=evil");
    }
}
