package io.ctxprop.application.inspector;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The memory probe as a test: 40 gzipped bodies (about 1.3 MB on the wire), each one trace of
 * 1,000 spans with a 7,600-character attribute (about 7.7 MB unpacked), posted to a real inspector
 * with {@code INSPECTOR_MAX_BYTES} at 8 MiB. Under the old count-only bounds they stayed, some 300 MB
 * of heap; now the heap used after a full GC grows by at most the byte bound plus 32 MiB.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "inspector.max-bytes=8388608")
class InspectorMemoryTest {

    static final long MAX_BYTES = 8L << 20;
    static final long SLACK = 32L << 20;

    @Autowired
    TraceStore store;

    @Value("${local.server.port}")
    int port;

    @Test
    void fortyHeavyTracesGrowTheHeapByNoMoreThanTheByteBound() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        List<byte[]> bodies = new ArrayList<>();
        for (int trace = 0; trace < 40; trace++) {
            bodies.add(gzipped(heavyTrace(trace + 1)));
        }
        long wire = bodies.stream().mapToLong(body -> body.length).sum();
        long before = heapAfterFullGc();

        for (byte[] body : bodies) {
            var response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/traces"))
                    .header("Content-Type", "application/x-protobuf").header("Content-Encoding", "gzip")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(ExportTraceServiceResponse.parseFrom(response.body()).getPartialSuccess().getRejectedSpans()).isZero();
        }
        long after = heapAfterFullGc();

        long growth = after - before;
        System.out.printf("Inspector memory probe: 40 bodies, %d bytes on the wire; heap after full GC %d MiB -> %d MiB (+%d MiB); "
                + "store %d traces, %d spans, %d bytes of %d allowed%n", wire, before >> 20, after >> 20, growth >> 20,
                store.traceCount(), store.spanCount(), store.bytes(), MAX_BYTES);
        assertThat(store.bytes()).isLessThanOrEqualTo(MAX_BYTES);
        assertThat(store.spanCount()).as("the newest spans are kept, up to the bound").isGreaterThan(500);
        assertThat(growth).as("heap growth after a full GC").isLessThanOrEqualTo(MAX_BYTES + SLACK);
    }

    /** One trace of 1,000 spans, each with a 7,600-character attribute. */
    private static byte[] heavyTrace(int number) {
        ByteString traceId = ByteString.copyFrom(ByteBuffer.allocate(16).putLong(0x7ace).putLong(number).array());
        var scope = ScopeSpans.newBuilder();
        String value = "x".repeat(7_600);
        long start = 1_700_000_000_000_000_000L;
        for (int span = 0; span < 1_000; span++) {
            scope.addSpans(Span.newBuilder().setTraceId(traceId)
                    .setSpanId(ByteString.copyFrom(ByteBuffer.allocate(8).putInt(number).putInt(span + 1).array()))
                    .setName("heavy").setStartTimeUnixNano(start + span).setEndTimeUnixNano(start + span + 1000)
                    .addAttributes(KeyValue.newBuilder().setKey("input.value").setValue(AnyValue.newBuilder().setStringValue(value + span))));
        }
        return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("service.name")
                        .setValue(AnyValue.newBuilder().setStringValue("gateway-service"))))
                .addScopeSpans(scope)).build().toByteArray();
    }

    private static byte[] gzipped(byte[] bytes) throws Exception {
        var out = new ByteArrayOutputStream();
        try (var gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        }
        return out.toByteArray();
    }

    /** Heap in use after two full collections (System.gc() is a full, stop-the-world GC under G1's defaults). */
    private static long heapAfterFullGc() {
        var memory = ManagementFactory.getMemoryMXBean();
        memory.gc();
        memory.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }
}
