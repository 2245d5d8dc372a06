package io.ctxprop.systemtests;

import static io.ctxprop.systemtests.Traces.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With OTEL_METRICS_EXPORTER=prometheus both services serve their instruments in Prometheus text
 * format, and the latency histograms carry exemplars with the trace ids of sampled requests.
 */
class PrometheusScrapeIT {

    static Stack stack;
    static ServiceProcess gateway;
    static ServiceProcess application;
    static int gatewayMetrics;
    static int applicationMetrics;

    @BeforeAll
    static void start() throws Exception {
        stack = new Stack();
        gatewayMetrics = Ports.free();
        applicationMetrics = Ports.free();
        gateway = stack.gateway("gateway-prometheus", Map.of("OTEL_METRICS_EXPORTER", "prometheus",
                "OTEL_EXPORTER_PROMETHEUS_PORT", Integer.toString(gatewayMetrics)));
        application = stack.application("application-prometheus", gateway, Map.of("OTEL_METRICS_EXPORTER", "prometheus",
                "OTEL_EXPORTER_PROMETHEUS_PORT", Integer.toString(applicationMetrics)));
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    @Test
    void bothServicesServeTheirInstrumentsWithExemplars() throws Exception {
        String httpTrace = askOk(application, "{\"text\":\"scrape me\",\"transport\":\"http\"}");
        String kafkaTrace = askOk(application, "{\"text\":\"scrape me too\",\"transport\":\"kafka\"}");

        String app = scrape(applicationMetrics);
        assertThat(app).contains("ctxprop_answer_duration_seconds_bucket").contains("transport=\"http\"").contains("transport=\"kafka\"")
                .contains("http_server_request_duration_seconds_count").contains("http_client_request_duration_seconds_count")
                .contains("messaging_client_sent_messages_total").contains("ctxprop_requests_in_flight")
                .contains("kafka_consumer_");
        assertThat(app).containsPattern("# \\{[^}]*trace_id=\"(" + httpTrace + "|" + kafkaTrace + ")\"");

        String gw = scrape(gatewayMetrics);
        assertThat(gw).contains("http_server_request_duration_seconds_bucket").contains("gen_ai_client_token_usage")
                .contains("gen_ai_client_operation_duration_seconds").contains("messaging_process_duration_seconds")
                .contains("messaging_client_consumed_messages_total");
        assertThat(gw).containsPattern("# \\{[^}]*trace_id=\"[0-9a-f]{32}\"");

        for (String scraped : List.of(app, gw)) {
            var exemplars = Pattern.compile(" # \\{([^}]*)\\}").matcher(scraped).results().map(match -> match.group(1)).toList();
            assertThat(exemplars).isNotEmpty().allSatisfy(labels -> {
                assertThat(labels).as("exemplar labels: trace and span id only").matches("(span_id=\"[0-9a-f]{16}\",trace_id=\"[0-9a-f]{32}\"|trace_id=\"[0-9a-f]{32}\",span_id=\"[0-9a-f]{16}\")");
                assertThat(labels.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).isLessThanOrEqualTo(128);
            });
        }
        assertThat(gateway.log() + application.log()).doesNotContain("Exemplar attributes exceeded");

        // Kafka 4 reports a dotted topic's metrics twice (topic="llm.replies" and, deprecated, "llm_replies"):
        // exported both, a sum by topic counts double. One series each, under the topic's real name.
        assertThat(app).contains("topic=\"llm.replies\"");
        assertThat(gw).contains("topic=\"llm.requests\"");
        for (String scraped : List.of(app, gw)) {
            assertThat(scraped).doesNotContain("topic=\"llm_replies\"", "topic=\"llm_requests\"");
            assertThat(duplicateSeries(scraped)).as("series that differ only in the topic's dots").isEmpty();
        }
    }

    /** Sample lines whose metric name and labels are the same once the dots of a topic label are underscores. */
    static List<String> duplicateSeries(String scraped) {
        var seen = new java.util.HashMap<String, String>();
        var duplicates = new java.util.ArrayList<String>();
        var topic = Pattern.compile("topic=\"([^\"]*)\"");
        for (String line : scraped.split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String series = line.replaceFirst(" # \\{.*$", "").replaceFirst(" [^ ]+$", "");
            String key = topic.matcher(series).replaceAll(match -> "topic=\"" + match.group(1).replace('.', '_') + "\"");
            String earlier = seen.putIfAbsent(key, series);
            if (earlier != null) {
                duplicates.add(earlier + " / " + series);
            }
        }
        return duplicates;
    }

    private static String scrape(int port) throws Exception {
        var response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .header("Accept", "application/openmetrics-text; version=1.0.0; charset=utf-8").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }
}
