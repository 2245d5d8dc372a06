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
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/** Asking the application, and reading the trace that came of it from the OTLP receiver. */
final class Traces {

    static final HttpClient HTTP = HttpClient.newHttpClient();

    private Traces() {
    }

    static HttpResponse<String> ask(ServiceProcess application, String json) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(application.baseUrl() + "/api/ask"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Asks and returns the trace id of a 200 answer. */
    static String askOk(ServiceProcess application, String json) throws Exception {
        var response = ask(application, json);
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
