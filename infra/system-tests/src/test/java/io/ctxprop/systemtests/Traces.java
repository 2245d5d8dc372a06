package io.ctxprop.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ctxprop.telemetry.testing.OtlpHttpReceiver;
import io.ctxprop.telemetry.testing.ReceivedSpans.ReceivedSpan;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;

/** Asking the application, and reading the trace that came of it from the OTLP receiver. */
final class Traces {

    static final HttpClient HTTP = HttpClient.newHttpClient();

    private Traces() {
    }

    static HttpResponse<String> ask(ServiceProcess application, String json) throws Exception {
        return ask(application.baseUrl(), json);
    }

    /** Asks the application at {@code baseUrl} (one this test did not start itself, e.g. run.sh's). */
    static HttpResponse<String> ask(String baseUrl, String json) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/ask"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Asks and returns the trace id of a 200 answer. */
    static String askOk(ServiceProcess application, String json) throws Exception {
        return askOk(application.baseUrl(), json);
    }

    static String askOk(String baseUrl, String json) throws Exception {
        var response = ask(baseUrl, json);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return traceIdOf(response.body());
    }

    static String traceIdOf(String body) {
        var matcher = Pattern.compile("\"traceId\":\"([0-9a-f]{32})\"").matcher(body);
        assertThat(matcher.find()).as(body).isTrue();
        return matcher.group(1);
    }

    static List<ReceivedSpan> awaitTrace(OtlpHttpReceiver receiver, String traceId, int spans) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> receiver.spans().all().stream()
                .filter(span -> span.traceId().equals(traceId)).toList(), trace -> trace.size() >= spans);
    }

    /** The spans of a Kafka round trip, in the design's order ("chat " is the start of the model span's name). */
    static final List<String> KAFKA_ROUND_TRIP = List.of("application_process_request", "send llm.requests", "process llm.requests",
            "llm_gateway_process", "chat ", "send llm.replies", "process llm.replies");

    /**
     * The traces among {@code traceIds} that are not whole at the receiver once it has had up to 60 s to
     * get them: a span of the Kafka round trip missing, or a span whose parent is not in its trace.
     */
    static List<String> notWholeKafkaTraces(OtlpHttpReceiver receiver, Collection<String> traceIds) {
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> notWhole(receiver, traceIds).isEmpty());
        } catch (ConditionTimeoutException someStayBroken) {
            // counted below
        }
        return notWhole(receiver, traceIds);
    }

    private static List<String> notWhole(OtlpHttpReceiver receiver, Collection<String> traceIds) {
        Map<String, List<ReceivedSpan>> traces = receiver.spans().all().stream().collect(Collectors.groupingBy(ReceivedSpan::traceId));
        return traceIds.stream().filter(traceId -> !whole(traces.getOrDefault(traceId, List.of()))).toList();
    }

    private static boolean whole(List<ReceivedSpan> trace) {
        Set<String> spanIds = trace.stream().map(ReceivedSpan::spanId).collect(Collectors.toSet());
        return KAFKA_ROUND_TRIP.stream().allMatch(name -> trace.stream().anyMatch(span -> span.name().startsWith(name)))
                && trace.stream().allMatch(span -> span.parentSpanId().isEmpty() || spanIds.contains(span.parentSpanId()));
    }

    static ReceivedSpan only(List<ReceivedSpan> trace, String name) {
        return assertThat(trace).filteredOn(span -> span.name().equals(name)).singleElement().actual();
    }

    static List<ReceivedSpan> all(List<ReceivedSpan> trace, String name) {
        return trace.stream().filter(span -> span.name().equals(name)).toList();
    }

    static ReceivedSpan childOf(List<ReceivedSpan> trace, ReceivedSpan parent, String name) {
        return assertThat(trace).filteredOn(span -> span.name().equals(name) && span.parentSpanId().equals(parent.spanId()))
                .singleElement().actual();
    }

    static SpanKind kind(ReceivedSpan span) {
        return span.span().getKind();
    }

    static List<String> linkedSpanIds(ReceivedSpan span) {
        return span.span().getLinksList().stream().map(link -> HexFormat.of().formatHex(link.getSpanId().toByteArray())).toList();
    }
}
