package io.ctxprop.bench.stack;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ctxprop.bench.report.SpanTiming;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.List;
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

    /** Traces whose span timings are kept for the average waterfall; enough for a stable mean. */
    private static final int TIMED_TRACES = 2_000;

    private final HttpServer server;
    private final LongAdder spans = new LongAdder();
    private final Map<String, Set<String>> namesByTrace = new ConcurrentHashMap<>();
    private final Map<String, Map<String, long[]>> timingsByTrace = new ConcurrentHashMap<>();

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

    /** The span names seen for a trace; the model call's {@code chat <model>} is kept as {@code chat}. */
    public Set<String> spanNames(String traceId) {
        return namesByTrace.getOrDefault(traceId, Set.of());
    }

    /** Forgets the traces seen so far (the count of spans goes on). */
    public void forgetTraces() {
        namesByTrace.clear();
        timingsByTrace.clear();
    }

    /**
     * The average request as a waterfall: for every span name, when it starts and ends on average,
     * in milliseconds after the start of the trace's {@code root} span, over the traces timed.
     */
    public List<SpanTiming> averageWaterfall(String root) {
        var sums = new java.util.TreeMap<String, double[]>();
        for (Map<String, long[]> trace : timingsByTrace.values()) {
            long[] rootTimes = trace.get(root);
            if (rootTimes == null) {
                continue;
            }
            trace.forEach((name, times) -> {
                double[] sum = sums.computeIfAbsent(name, n -> new double[3]);
                sum[0] += (times[0] - rootTimes[0]) / 1e6;
                sum[1] += (times[1] - rootTimes[0]) / 1e6;
                sum[2]++;
            });
        }
        return sums.entrySet().stream()
                .map(e -> new SpanTiming(e.getKey(), e.getValue()[0] / e.getValue()[2], e.getValue()[1] / e.getValue()[2],
                        (int) e.getValue()[2]))
                .sorted(java.util.Comparator.comparingDouble(SpanTiming::startMs).thenComparing(t -> -t.endMs()))
                .toList();
    }


    private void receive(HttpExchange exchange) throws IOException {
        try (exchange) {
            InputStream body = exchange.getRequestBody();
            if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                body = new GZIPInputStream(body);
            }
            var request = ExportTraceServiceRequest.parseFrom(body);
            for (ResourceSpans resource : request.getResourceSpansList()) {
                for (ScopeSpans scope : resource.getScopeSpansList()) {
                    for (Span span : scope.getSpansList()) {
                        spans.increment();
                        String name = span.getName().startsWith("chat ") ? "chat" : span.getName();
                        String traceId = HEX.formatHex(span.getTraceId().toByteArray());
                        namesByTrace.computeIfAbsent(traceId, id -> ConcurrentHashMap.newKeySet()).add(name);
                        time(traceId, name, span);
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

    private void time(String traceId, String name, Span span) {
        var timings = timingsByTrace.get(traceId);
        if (timings == null && timingsByTrace.size() < TIMED_TRACES) {
            timings = timingsByTrace.computeIfAbsent(traceId, id -> new ConcurrentHashMap<>());
        }
        if (timings != null) {
            timings.put(name, new long[] {span.getStartTimeUnixNano(), span.getEndTimeUnixNano()});
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
