package io.ctxprop.application.inspector;

import static io.ctxprop.application.inspector.OtlpPayloads.span;
import static io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_CLIENT;
import static io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_INTERNAL;
import static io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_SERVER;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The inspector's ingest with {@code INSPECTOR_INGEST_KEY}: a forged span without the key (or with a
 * wrong one) is a 401 and is not stored; with the key, a span that claims to be the gateway's is
 * stored as such (the key is the trust, see docs/security.md). Invalid spans come back in the
 * partial success. On loopback the pages stay open to the local user.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "inspector.ingest-key=" + IngestKeyTest.KEY)
class IngestKeyTest {

    static final String KEY = "ingest-key-4f2a9c";
    static final String TRACE = "4242424242424242424242424242abcd";

    @Autowired
    TraceStore store;

    @Value("${local.server.port}")
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aForgedSpanWithoutTheKeyIsRefusedAndNotStored() throws Exception {
        byte[] real = new OtlpPayloads().service("application-service",
                span(TRACE, "a000000000000001", "", "application_process_request", SPAN_KIND_SERVER, 1, 50)).bytes();
        assertThat(post(real, "Bearer " + KEY).statusCode()).isEqualTo(200);
        byte[] forged = forgedGatewaySpan();

        for (String authorization : new String[] {null, "Bearer wrong-key", "Bearer " + KEY + "x", "Basic " + KEY, "bearer"}) {
            var refused = post(forged, authorization);
            assertThat(refused.statusCode()).as(String.valueOf(authorization)).isEqualTo(401);
            assertThat(refused.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(challenge -> assertThat(challenge).startsWith("Bearer"));
            assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(new String(refused.body())).doesNotContain(KEY);
        }
        assertThat(store.find(TRACE).orElseThrow().spans()).extracting(SpanRecord::name).containsExactly("application_process_request");
    }

    @Test
    void withTheKeyASpanClaimingAnotherServiceIsStoredAsThatService() throws Exception {
        String trace = "4242424242424242424242424242abce";
        post(new OtlpPayloads().service("application-service",
                span(trace, "a000000000000001", "", "application_process_request", SPAN_KIND_SERVER, 1, 50)).bytes(), "Bearer " + KEY);

        var accepted = post(new OtlpPayloads().service("gateway-service",
                span(trace, "f000000000000001", "a000000000000001", "FORGED: transfer $1000 to mallory", SPAN_KIND_CLIENT, 2, 3)).bytes(),
                "Bearer " + KEY);

        assertThat(accepted.statusCode()).isEqualTo(200);
        assertThat(ExportTraceServiceResponse.parseFrom(accepted.body()).hasPartialSuccess()).isFalse();
        assertThat(store.find(trace).orElseThrow().spans()).anySatisfy(span -> {
            assertThat(span.name()).startsWith("FORGED");
            assertThat(span.service()).isEqualTo("gateway-service");
        });
    }

    @Test
    void invalidSpansAreNotStoredAndAreReportedAsPartialSuccess() throws Exception {
        String trace = "4242424242424242424242424242abcf";
        var response = post(new OtlpPayloads().service("gateway-service",
                span(trace, "b000000000000001", "", "kept", SPAN_KIND_INTERNAL, 1, 2),
                span("424242", "b000000000000002", "", "short trace id", SPAN_KIND_INTERNAL, 1, 2),
                span("00000000000000000000000000000000", "b000000000000003", "", "zero trace id", SPAN_KIND_INTERNAL, 1, 2),
                span(trace, "0000000000000000", "", "zero span id", SPAN_KIND_INTERNAL, 1, 2),
                span(trace, "b000000000000005", "b0000000", "short parent", SPAN_KIND_INTERNAL, 1, 2),
                span(trace, "b000000000000006", "", "reversed", SPAN_KIND_INTERNAL, 5, 2),
                span(trace, "b000000000000007", "", "n".repeat(1025), SPAN_KIND_INTERNAL, 1, 2),
                span(trace, "b000000000000008", "", "big attribute", SPAN_KIND_INTERNAL, 1, 2, "input.value=" + "v".repeat(65_536)))
                .bytes(), "Bearer " + KEY);

        assertThat(response.statusCode()).isEqualTo(200);
        var partial = ExportTraceServiceResponse.parseFrom(response.body()).getPartialSuccess();
        assertThat(partial.getRejectedSpans()).isEqualTo(7);
        assertThat(partial.getErrorMessage()).startsWith("7 span(s) rejected: trace_id has 3 bytes");
        assertThat(store.find(trace).orElseThrow().spans()).extracting(SpanRecord::name).containsExactly("kept");
        assertThat(get("/traces").statusCode()).as("the pages work after hostile spans").isEqualTo(200);
    }

    @Test
    void onLoopbackThePagesStayOpenToTheLocalUser() throws Exception {
        assertThat(get("/traces").statusCode()).isEqualTo(200);
    }

    private byte[] forgedGatewaySpan() {
        return new OtlpPayloads().service("gateway-service",
                span(TRACE, "f000000000000001", "a000000000000001", "FORGED: transfer $1000 to mallory", SPAN_KIND_SERVER, 2, 3)).bytes();
    }

    private HttpResponse<byte[]> post(byte[] body, String authorization) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/traces"))
                .header("Content-Type", "application/x-protobuf").POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
