package io.ctxprop.systemtests;

import static io.ctxprop.systemtests.Traces.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ctxprop.telemetry.testing.OtlpHttpReceiver;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Both services run with sentinel API keys for OpenAI, Phoenix and Arize, and the project's own HTTP
 * keys (the gateway's, the inspector's ingest key); after requests over every transport, no key
 * appears in any log line, span, page, reply, actuator answer or inspector view.
 */
class SecretsIT {

    static final String OPENAI_KEY = "sk-sentinel-openai-5f1c2e";
    static final String PHOENIX_KEY = "sentinel-phoenix-8d2b4a";
    static final String ARIZE_KEY = "sentinel-arize-3e9f7c";
    static final String GATEWAY_KEY = "sentinel-gateway-a41d07";
    static final String INGEST_KEY = "sentinel-ingest-6c2e95";

    @Test
    void noKeyLeavesTheServices() throws Exception {
        try (var stack = new Stack(); var phoenix = new OtlpHttpReceiver()) {
            int gatewayPort = Ports.free();
            int appPort = Ports.free();
            var env = new HashMap<>(stack.environment());
            env.putAll(Map.of(
                    "OPENAI_API_KEY", OPENAI_KEY,
                    // the gateway's own offline endpoint stands in for an OpenAI-compatible server that takes the key
                    "OPENAI_BASE_URL", "http://127.0.0.1:" + gatewayPort + "/offline/v1",
                    "OPENAI_MODEL", "offline-echo",
                    "PHOENIX_COLLECTOR_ENDPOINT", phoenix.baseUrl(),
                    "PHOENIX_API_KEY", PHOENIX_KEY,
                    "ARIZE_SPACE_ID", "sentinel-space",
                    "ARIZE_API_KEY", ARIZE_KEY,
                    "ARIZE_COLLECTOR_ENDPOINT", "http://127.0.0.1:" + Ports.free(),
                    "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + appPort));
            env.put("GATEWAY_PORT", Integer.toString(gatewayPort));
            env.put("GATEWAY_API_KEY", GATEWAY_KEY);
            var gatewayEnv = new HashMap<>(env);
            gatewayEnv.put("OTEL_EXPORTER_OTLP_TRACES_HEADERS", "Authorization=Bearer%20" + INGEST_KEY);
            var gateway = stack.track(ServiceProcess.start("gateway-secrets", "gateway-service", "GATEWAY_PORT", gatewayEnv));
            env.put("GATEWAY_URL", gateway.baseUrl() + "/process");
            env.put("APP_PORT", Integer.toString(appPort));
            env.put("INSPECTOR_INGEST_KEY", INGEST_KEY);
            var application = stack.track(ServiceProcess.start("application-secrets", "application-service", "APP_PORT", env));

            List<String> seen = new ArrayList<>();
            List<String> traceIds = new ArrayList<>();
            for (String transport : List.of("http", "kafka", "both")) {
                var reply = ask(application, "{\"text\":\"keep my keys\",\"transport\":\"" + transport + "\"}");
                assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
                seen.add(reply.body());
                traceIds.add(traceIdOf(reply.body()));
            }
            seen.add(ask(application, "{\"text\":\"\"}").body());
            // the refusals name the variable, never the key
            seen.add(HTTP.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/process")).header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + GATEWAY_KEY.substring(1)).POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"x\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body());
            seen.add(HTTP.send(HttpRequest.newBuilder(URI.create(application.baseUrl() + "/v1/traces")).header("Content-Type", "application/x-protobuf")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[0])).build(), HttpResponse.BodyHandlers.ofString()).body());
            for (String traceId : traceIds) {
                awaitTrace(phoenix, traceId, 4);
                seen.add(get(application.baseUrl() + "/traces/" + traceId));
                seen.add(get(application.baseUrl() + "/traces/" + traceId, "application/json"));
            }
            for (String path : List.of("/", "/traces", "/actuator", "/actuator/health", "/actuator/info", "/actuator/env")) {
                seen.add(get(application.baseUrl() + path));
                seen.add(get(gateway.baseUrl() + path));
            }
            phoenix.spans().all().forEach(span -> seen.add(span.span().toString() + span.resource().toString()));
            await().atMost(java.time.Duration.ofSeconds(20)).untilAsserted(() -> assertThat(traceIds).allSatisfy(traceId ->
                    assertThat(get(application.baseUrl() + "/traces/" + traceId, "application/json"))
                            .as("the gateway's spans came in with the ingest key").contains("gateway-service")));
            application.close();
            gateway.close();
            seen.add(application.log());
            seen.add(gateway.log());

            assertThat(phoenix.received().getFirst().authorization()).as("the key does reach Phoenix, in its header")
                    .isEqualTo("Bearer " + PHOENIX_KEY);
            String everything = String.join("\n", seen);
            long occurrences = List.of(OPENAI_KEY, PHOENIX_KEY, ARIZE_KEY, GATEWAY_KEY, INGEST_KEY).stream()
                    .mapToLong(key -> everything.split(java.util.regex.Pattern.quote(key), -1).length - 1).sum();
            ReliabilityReport.record("sentinel API keys (OpenAI, Phoenix, Arize, gateway, inspector ingest)", "outputs checked", seen.size(),
                    "characters checked", everything.length(), "occurrences of a key", occurrences);
            assertThat(everything).doesNotContain(OPENAI_KEY).doesNotContain(PHOENIX_KEY).doesNotContain(ARIZE_KEY)
                    .doesNotContain(GATEWAY_KEY).doesNotContain(INGEST_KEY);
        }
    }

    private static String get(String url) throws Exception {
        return get(url, "text/html");
    }

    private static String get(String url, String accept) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Accept", accept).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
