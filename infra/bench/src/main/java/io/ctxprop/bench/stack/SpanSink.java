package io.ctxprop.bench.stack;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;
import java.util.zip.GZIPInputStream;

/**
 * The trace backend of a benchmark: an OTLP/HTTP receiver that answers at once, counts the spans it
 * gets and remembers which span names each trace has, so a run can tell whether every trace arrived
 * whole. It keeps no span bodies.
 */
public final class SpanSink implements AutoCloseable {

    private static final HexFormat HEX = HexFormat.of();

    private final HttpServer server;
    private final LongAdder spans = new LongAdder();
    private final LongAdder attributes = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final Map<String, Set<String>> namesByTrace = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> servicesByTrace = new ConcurrentHashMap<>();
    /** Per trace, the services that made a CLIENT span (for the gateway: its call to the model). */
    private final Map<String, Set<String>> callersByTrace = new ConcurrentHashMap<>();

    public SpanSink() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        server.createContext("/v1/traces", this::receive);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    /** What OTEL_EXPORTER_OTLP_ENDPOINT is set to. */
    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public long spans() {
        return spans.sum();
    }

    /** Span attributes received so far, over every span: how much each span tells. */
    public long attributes() {
        return attributes.sum();
    }

    /** The spans' size as OTLP protobuf, so far. */
    public long bytes() {
        return bytes.sum();
    }

    /** The {@code service.name} of every span seen for a trace. */
    public Set<String> services(String traceId) {
        return servicesByTrace.getOrDefault(traceId, Set.of());
    }

    /** Whether {@code service} made a CLIENT span in the trace. */
    public boolean calledOut(String traceId, String service) {
        return callersByTrace.getOrDefault(traceId, Set.of()).contains(service);
    }

    /** The span names seen for a trace; the model call's {@code chat <model>} is kept as {@code chat}. */
    public Set<String> spanNames(String traceId) {
        return namesByTrace.getOrDefault(traceId, Set.of());
    }

    /** Forgets the traces seen so far (the count of spans goes on). */
    public void forgetTraces() {
        namesByTrace.clear();
        servicesByTrace.clear();
        callersByTrace.clear();
    }

    private void receive(HttpExchange exchange) throws IOException {
        try (exchange) {
            InputStream body = exchange.getRequestBody();
            if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                body = new GZIPInputStream(body);
            }
            var request = ExportTraceServiceRequest.parseFrom(body);
            for (ResourceSpans resource : request.getResourceSpansList()) {
                String service = resource.getResource().getAttributesList().stream()
                        .filter(attribute -> attribute.getKey().equals("service.name"))
                        .map(attribute -> attribute.getValue().getStringValue()).findFirst().orElse("unknown");
                for (ScopeSpans scope : resource.getScopeSpansList()) {
                    for (Span span : scope.getSpansList()) {
                        spans.increment();
                        attributes.add(span.getAttributesCount());
                        bytes.add(span.getSerializedSize());
                        String name = span.getName().startsWith("chat ") ? "chat" : span.getName();
                        String traceId = HEX.formatHex(span.getTraceId().toByteArray());
                        namesByTrace.computeIfAbsent(traceId, id -> ConcurrentHashMap.newKeySet()).add(name);
                        servicesByTrace.computeIfAbsent(traceId, id -> ConcurrentHashMap.newKeySet()).add(service);
                        if (span.getKind() == Span.SpanKind.SPAN_KIND_CLIENT) {
                            callersByTrace.computeIfAbsent(traceId, id -> ConcurrentHashMap.newKeySet()).add(service);
                        }
                    }
                }
            }
            byte[] answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
            exchange.getResponseBody().write(answer);
        } catch (IOException | RuntimeException bad) {
            exchange.sendResponseHeaders(400, -1);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
