package io.ctxprop.application.inspector;

import static io.ctxprop.application.inspector.OtlpPayloads.span;
import static io.ctxprop.application.inspector.OtlpPayloads.withEvent;
import static io.opentelemetry.proto.trace.v1.Span.SpanKind.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The inspector's receiver and pages, fed hand-built OTLP payloads over HTTP: the diagnoses of
 * broken traces, and clean 4xx for what is not an OTLP protobuf export, the store left unchanged.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "inspector.max-body-bytes=4096")
class InspectorTest {

    static final String APP = "application-service";
    static final String GATEWAY = "gateway-service";

    @Autowired
    TraceStore store;

    @Value("${local.server.port}")
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aCompleteHttpTraceHoldsTogether() throws Exception {
        String trace = "11111111111111111111111111111111";
        post(new OtlpPayloads()
                .service(APP, span(trace, "a000000000000001", "", "application_process_request", SPAN_KIND_SERVER, 0, 50),
                        span(trace, "a000000000000002", "a000000000000001", "gateway_request", SPAN_KIND_CLIENT, 5, 45,
                                "http.request.method=POST"))
                .service(GATEWAY, span(trace, "b000000000000001", "a000000000000002", "llm_gateway_process", SPAN_KIND_SERVER, 10, 40,
                        "http.request.method=POST"))
                .bytes());

        String json = get("/traces/" + trace, "application/json").body();
        assertThat(json).contains("The trace holds together").contains("3 spans from 2 services")
                .doesNotContain("\"level\":\"problem\"").doesNotContain("\"level\":\"warning\"");
        assertThat(json.indexOf("application_process_request")).isLessThan(json.indexOf("gateway_request"));
        assertThat(json.indexOf("\"name\":\"gateway_request\"")).isLessThan(json.indexOf("\"name\":\"llm_gateway_process\""));
        String html = get("/traces/" + trace, "text/html").body();
        assertThat(html).contains("llm_gateway_process").contains("hop-http").contains("svc-1");
    }

    @Test
    void aKafkaTraceWithAConflictingReplyShowsTwoDifferentAnswersNotHoldsTogether() throws Exception {
        String trace = "1111111111111111111111111111111c";
        post(new OtlpPayloads()
                .service(APP, span(trace, "a000000000000001", "", "application_process_request", SPAN_KIND_SERVER, 0, 2500),
                        span(trace, "a000000000000002", "a000000000000001", "send llm.requests", SPAN_KIND_PRODUCER, 5, 10,
                                "messaging.message.conversation_id=c-1"),
                        span(trace, "a000000000000003", "a000000000000001", "process llm.replies", SPAN_KIND_CONSUMER,
                                2100, 2101, "messaging.message.conversation_id=c-1", "reply.outcome=conflicting",
                                "messaging.destination.name=llm.replies", "messaging.kafka.offset=42"))
                .service(GATEWAY, span(trace, "b000000000000001", "a000000000000002", "process llm.requests", SPAN_KIND_CONSUMER,
                        12, 2090, "messaging.message.conversation_id=c-1"))
                .bytes());

        String json = get("/traces/" + trace, "application/json").body();
        assertThat(json).contains("Two different answers arrived").contains("correlation id c-1").contains("offset 42")
                .contains("\"level\":\"problem\"").doesNotContain("The trace holds together");
    }

    @Test
    void aFirstChunkIsMarkedOnTheBarOfEachSpanThatSawItAndListedWithItsTime() throws Exception {
        String trace = "1111111111111111111111111111111f";
        post(new OtlpPayloads()
                .service(APP, withEvent(span(trace, "a000000000000011", "", "application_process_request", SPAN_KIND_SERVER, 1000, 1100),
                                "first_chunk", 1040, "transport=http"),
                        span(trace, "a000000000000012", "a000000000000011", "gateway_request", SPAN_KIND_CLIENT, 1010, 1090))
                .service(GATEWAY, withEvent(span(trace, "b000000000000011", "a000000000000012", "chat offline-echo", SPAN_KIND_CLIENT, 1020, 1080),
                        "first_chunk", 1030))
                .bytes());

        String html = get("/traces/" + trace, "text/html").body();

        assertThat(row(html, "application_process_request")).contains("class=\"event-mark\"").contains("data-event=\"first_chunk\"")
                .contains("title=\"first_chunk: transport=http, 40.0 ms into the span\"").contains("style=\"left:40.00%\"")
                .contains("<td>first_chunk: transport=http</td>");
        assertThat(row(html, "chat offline-echo")).contains("data-event=\"first_chunk\"")
                .contains("title=\"first_chunk, 10.0 ms into the span\"").contains("style=\"left:30.00%\"");
        assertThat(row(html, "gateway_request")).doesNotContain("event-mark");
        assertThat(get("/traces/" + trace + "/embed?expect=3", "text/html").body()).contains("style=\"left:30.00%\"");
        assertThat(get("/traces/" + trace, "application/json").body())
                .contains("{\"name\":\"first_chunk\",\"epochNanos\":1030000000,\"detail\":\"\"}");
    }

    /** The HTML of the span's row in the waterfall. */
    private static String row(String html, String spanName) {
        int start = html.indexOf("data-span-name=\"" + spanName + "\"");
        assertThat(start).as("row of " + spanName).isPositive();
        return html.substring(start, html.indexOf("</details>", start));
    }

    @Test
    void theTraceListTellsTracesApartAndFiltersByStatus() throws Exception {
        String answered = "ab12cd34000000000000000000000001";
        String tooLarge = "ef56ab78000000000000000000000002";
        post(new OtlpPayloads()
                .service(APP, span(answered, "a100000000000001", "", "application_process_request", SPAN_KIND_SERVER, 0, 50,
                                "http.request.method=POST", "http.response.status_code=200",
                                "input.value=What is context propagation in distributed systems anyway and why"),
                        span(answered, "a100000000000002", "a100000000000001", "gateway_request", SPAN_KIND_CLIENT, 5, 45,
                                "http.request.method=POST"),
                        span(answered, "a100000000000003", "a100000000000001", "send llm.requests", SPAN_KIND_PRODUCER, 5, 6,
                                "messaging.system=kafka"))
                .service(APP, span(tooLarge, "a200000000000001", "", "application_process_request", SPAN_KIND_SERVER, 0, 2,
                        "http.request.method=POST", "http.response.status_code=413"))
                .bytes());

        var page = get("/traces", "*/*");
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
        String html = page.body();
        assertThat(html).contains(">ab12cd34<").contains(">ef56ab78<")
                .contains("What is context propagation in distributed systems anyway …")
                .contains("http + kafka")
                .contains("class=\"outcome-4xx\">413<").contains("class=\"outcome-ok\">200<")
                .containsPattern("\\d{2}:\\d{2}:\\d{2}</span> <small>\\(\\d+ s ago\\)")
                .doesNotContainPattern("\\d{4}-\\d{2}-\\d{2}T\\d{2}");

        String onlyFailed = get("/traces?status=4xx", "application/json").body();
        assertThat(onlyFailed).contains(tooLarge).doesNotContain(answered).contains("\"outcome\":\"4xx\"").contains("\"httpStatus\":413");
        assertThat(get("/traces?status=ok", "text/html").body()).contains(">ab12cd34<").doesNotContain(">ef56ab78<");
        assertThat(get("/traces?status=maybe", "application/json").statusCode()).isEqualTo(400);
    }

    @Test
    void anOrphanIsNamed() throws Exception {
        String trace = "22222222222222222222222222222222";
        post(new OtlpPayloads().service(GATEWAY, span(trace, "c000000000000001", "c0000000000000ff", "llm_gateway_process", SPAN_KIND_SERVER, 0, 10)).bytes());

        assertThat(get("/traces/" + trace, "application/json").body()).contains("Orphan span: llm_gateway_process")
                .contains("c0000000000000ff").contains("never arrived");
    }

    @Test
    void twoRootsAreNamed() throws Exception {
        String trace = "33333333333333333333333333333333";
        post(new OtlpPayloads().service(APP,
                span(trace, "d000000000000001", "", "application_process_request", SPAN_KIND_SERVER, 0, 10),
                span(trace, "d000000000000002", "", "stray_root", SPAN_KIND_INTERNAL, 2, 8)).bytes());

        assertThat(get("/traces/" + trace, "application/json").body()).contains("2 root spans in one trace").contains("stray_root");
    }

    @Test
    void aKafkaReplyWithoutGatewaySpansIsAMissingHop() throws Exception {
        String trace = "44444444444444444444444444444444";
        post(new OtlpPayloads().service(APP,
                span(trace, "e000000000000001", "", "application_process_request", SPAN_KIND_SERVER, 0, 30),
                span(trace, "e000000000000002", "e000000000000001", "send llm.requests", SPAN_KIND_PRODUCER, 1, 3,
                        "messaging.system=kafka", "messaging.message.conversation_id=corr-missing"),
                span(trace, "e000000000000003", "e0000000000000aa", "process llm.replies", SPAN_KIND_CONSUMER, 25, 28,
                        "messaging.system=kafka", "messaging.message.conversation_id=corr-missing")).bytes());

        assertThat(get("/traces/" + trace, "application/json").body()).contains("Missing hop: the gateway's Kafka spans never arrived")
                .contains("corr-missing");
    }

    @Test
    void propagationOffOverHttpShowsTheGatewaysSeparateTrace() throws Exception {
        String appTrace = "55555555555555555555555555555555";
        String gatewayTrace = "66666666666666666666666666666666";
        post(new OtlpPayloads()
                .service(APP, span(appTrace, "f000000000000001", "", "application_process_request", SPAN_KIND_SERVER, 0, 50),
                        span(appTrace, "f000000000000002", "f000000000000001", "gateway_request", SPAN_KIND_CLIENT, 5, 45,
                                "context_propagated=false", "http.request.header.x-request-id=req-77"))
                .service(GATEWAY, span(gatewayTrace, "f000000000000003", "", "llm_gateway_process", SPAN_KIND_SERVER, 10, 40,
                        "http.request.header.x-request-id=req-77"))
                .bytes());

        String json = get("/traces/" + appTrace, "application/json").body();
        assertThat(json).contains("Context was not propagated over HTTP").contains(gatewayTrace).contains("switched off")
                .contains("\"relatedTrace\":\"" + gatewayTrace + "\"");
        assertThat(get("/traces/" + appTrace, "text/html").body()).contains("/traces/" + gatewayTrace);
    }

    @Test
    void gzippedExportsAreAccepted() throws Exception {
        String trace = "77777777777777777777777777777777";
        var gzipped = new ByteArrayOutputStream();
        try (var gzip = new GZIPOutputStream(gzipped)) {
            gzip.write(new OtlpPayloads().service(APP, span(trace, "0000000000000001", "", "zipped", SPAN_KIND_INTERNAL, 0, 1)).bytes());
        }
        var response = http.send(HttpRequest.newBuilder(uri("/v1/traces")).header("Content-Type", "application/x-protobuf")
                .header("Content-Encoding", "gzip").POST(HttpRequest.BodyPublishers.ofByteArray(gzipped.toByteArray())).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(store.find(trace)).isPresent();
    }

    @Test
    void whatIsNotAnOtlpProtobufExportIsRefusedAndChangesNothing() throws Exception {
        int traces = store.traceCount();

        assertStatus(send("application/json", "{\"resourceSpans\":[]}".getBytes()), 415);
        assertStatus(send(null, new byte[] {1, 2, 3}), 415);
        assertStatus(send("application/x-protobuf", new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f, 0x01}), 400);
        assertStatus(send("application/x-protobuf", new byte[5000]), 413);
        assertStatus(http.send(HttpRequest.newBuilder(uri("/v1/traces")).header("Content-Type", "application/x-protobuf")
                .header("Content-Encoding", "gzip").POST(HttpRequest.BodyPublishers.ofByteArray("not gzip".getBytes())).build(),
                HttpResponse.BodyHandlers.ofString()), 400);

        assertThat(store.traceCount()).isEqualTo(traces);
    }

    @Test
    void theLimitHoldsAfterDecompressionAndWithoutAContentLength() throws Exception {
        int traces = store.traceCount();
        String trace = "88888888888888888888888888888888";
        byte[] atTheLimit = padded(new OtlpPayloads().service(APP, span(trace, "0000000000000001", "", "at the limit", SPAN_KIND_INTERNAL, 0, 1)).bytes(), 4096);
        byte[] overTheLimit = padded(new OtlpPayloads().service(APP, span(trace, "0000000000000002", "", "over", SPAN_KIND_INTERNAL, 0, 1)).bytes(), 4097);

        assertStatus(sendStreamed(gzip(overTheLimit), "gzip"), 413);
        assertStatus(sendStreamed(overTheLimit, null), 413);
        assertThat(store.traceCount()).isEqualTo(traces);

        assertThat(sendStreamed(gzip(atTheLimit), "gzip").statusCode()).isEqualTo(200);
        assertThat(store.find(trace)).hasValueSatisfying(stored -> assertThat(stored.spans()).extracting(SpanRecord::name).containsExactly("at the limit"));
    }

    /**
     * What inflates to nothing is bounded as sent: a gzip header whose file name never ends, and a
     * stream of empty gzip members, each far over the limit, are 413 (without a bound on the raw
     * bytes, the first is read to its end and the second inflates to an empty, accepted export).
     */
    @Test
    void theLimitHoldsOnTheBytesAsSentToo() throws Exception {
        int traces = store.traceCount();
        var endlessName = new ByteArrayOutputStream();
        endlessName.writeBytes(new byte[] {0x1f, (byte) 0x8b, 8, 0x08, 0, 0, 0, 0, 0, (byte) 0xff}); // FLG.FNAME
        endlessName.writeBytes("a".repeat(64 * 4096).getBytes());
        assertStatus(sendStreamed(endlessName.toByteArray(), "gzip"), 413);

        byte[] emptyMember = gzip(new byte[0]);
        var emptyMembers = new ByteArrayOutputStream();
        while (emptyMembers.size() < 64 * 4096) {
            emptyMembers.writeBytes(emptyMember);
        }
        assertStatus(sendStreamed(emptyMembers.toByteArray(), "gzip"), 413);
        assertThat(store.traceCount()).isEqualTo(traces);
    }

    @Test
    void aGzippedExportOfManySpansIsStoredInFull() throws Exception {
        String trace = "99999999999999999999999999999990";
        var spans = new io.opentelemetry.proto.trace.v1.Span[40];
        for (int i = 0; i < spans.length; i++) {
            spans[i] = span(trace, "%016x".formatted(i + 1), i == 0 ? "" : "0000000000000001", "span " + i, SPAN_KIND_INTERNAL, i, i + 1);
        }

        assertThat(sendStreamed(gzip(new OtlpPayloads().service(GATEWAY, spans).bytes()), "gzip").statusCode()).isEqualTo(200);

        assertThat(store.find(trace)).hasValueSatisfying(stored -> assertThat(stored.spans()).hasSize(40)
                .allSatisfy(span -> assertThat(span.service()).isEqualTo(GATEWAY)));
    }

    @Test
    void aTruncatedGzipStreamIsMalformed() throws Exception {
        byte[] zipped = gzip(new OtlpPayloads().service(APP, span("12121212121212121212121212121212", "0000000000000001", "", "cut", SPAN_KIND_INTERNAL, 0, 1)).bytes());

        assertStatus(sendStreamed(java.util.Arrays.copyOf(zipped, zipped.length - 10), "gzip"), 400);
        assertThat(store.find("12121212121212121212121212121212")).isEmpty();
    }

    /** The export with an unknown field appended (receivers skip those), {@code size} bytes in all. */
    private static byte[] padded(byte[] export, int size) {
        int filler = size - export.length - 3;
        var out = new ByteArrayOutputStream();
        out.writeBytes(export);
        out.write(0x7a); // field 15, length-delimited
        out.write(0x80 | (filler & 0x7f));
        out.write(filler >> 7);
        out.writeBytes(new byte[filler]);
        assertThat(out.size()).isEqualTo(size);
        return out.toByteArray();
    }

    private static byte[] gzip(byte[] bytes) throws Exception {
        var gzipped = new ByteArrayOutputStream();
        try (var gzip = new GZIPOutputStream(gzipped)) {
            gzip.write(bytes);
        }
        return gzipped.toByteArray();
    }

    /** Chunked, without a Content-Length, so only the receiver's own count can stop it. */
    private HttpResponse<String> sendStreamed(byte[] body, String encoding) throws Exception {
        var request = HttpRequest.newBuilder(uri("/v1/traces")).header("Content-Type", "application/x-protobuf")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body)));
        if (encoding != null) {
            request.header("Content-Encoding", encoding);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void unknownAndMalformedTraceIdsAreClean4xx() throws Exception {
        assertStatus(get("/traces/99999999999999999999999999999999", "application/json"), 404);
        assertStatus(get("/traces/not-a-trace", "application/json"), 400);
    }

    private void assertStatus(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
    }

    private void post(byte[] payload) throws Exception {
        assertThat(send("application/x-protobuf", payload).statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> send(String contentType, byte[] body) throws Exception {
        var request = HttpRequest.newBuilder(uri("/v1/traces")).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, String accept) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).header("Accept", accept).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
