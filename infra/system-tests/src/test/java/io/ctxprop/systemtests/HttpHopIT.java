package io.ctxprop.systemtests;

import static io.ctxprop.systemtests.Traces.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ctxprop.telemetry.testing.OtlpHttpReceiver;
import io.ctxprop.telemetry.testing.ReceivedSpans.ReceivedSpan;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Both services as separate processes, configured only through environment variables, exporting
 * over OTLP/HTTP to a collector and to a Phoenix stand-in: one request over HTTP is one trace with
 * the design's tree, and Phoenix gets it with its project and key.
 */
class HttpHopIT {

    static final String PHOENIX_KEY = "phoenix-sentinel-key-93c1";

    static OtlpHttpReceiver collector;
    static OtlpHttpReceiver phoenix;
    static ServiceProcess gateway;
    static ServiceProcess application;

    @BeforeAll
    static void startServices() throws Exception {
        collector = new OtlpHttpReceiver();
        phoenix = new OtlpHttpReceiver();
        Map<String, String> tracing = Map.of(
                "OTEL_TRACES_EXPORTER", "otlp",
                "OTEL_EXPORTER_OTLP_ENDPOINT", collector.baseUrl(),
                "OTEL_BSP_SCHEDULE_DELAY", "100",
                "PHOENIX_COLLECTOR_ENDPOINT", phoenix.baseUrl(),
                "PHOENIX_PROJECT_NAME", "system-tests",
                "PHOENIX_API_KEY", PHOENIX_KEY,
                // No broker in this test: the services start without one, and give up asking it for their
                // topics after a second instead of five (each service's start took 28 s, 20 of them asking)
                "SPRING_KAFKA_ADMIN_OPERATION_TIMEOUT", "1s");
        // The per-request "Answered" lines are at DEBUG: switched on here, to read their trace and span ids.
        var gatewayEnvironment = new java.util.HashMap<>(tracing);
        gatewayEnvironment.put("LOGGING_LEVEL_IO_CTXPROP_GATEWAY_PROCESS", "DEBUG");
        gateway = ServiceProcess.start("gateway-service", "GATEWAY_PORT", gatewayEnvironment);
        var applicationEnvironment = new java.util.HashMap<>(tracing);
        applicationEnvironment.put("GATEWAY_URL", gateway.baseUrl() + "/process");
        applicationEnvironment.put("LOGGING_LEVEL_IO_CTXPROP_APPLICATION_PROMPT", "DEBUG");
        application = ServiceProcess.start("application-service", "APP_PORT", applicationEnvironment);
    }

    @AfterAll
    static void stopServices() throws Exception {
        if (application != null) {
            application.close();
        }
        if (gateway != null) {
            gateway.close();
        }
        collector.close();
        phoenix.close();
    }

    @Test
    void oneRequestOverHttpIsOneTraceAcrossBothServices() throws Exception {
        String traceId = askOk(application, "{\"text\":\"Where does my trace go?\",\"transport\":\"http\",\"propagate\":true}");

        List<ReceivedSpan> trace = awaitTrace(collector, traceId, 4);
        ReceivedSpan root = only(trace, "application_process_request");
        ReceivedSpan client = only(trace, "gateway_request");
        ReceivedSpan server = only(trace, "llm_gateway_process");
        ReceivedSpan llm = only(trace, "chat offline-echo");
        assertThat(root.parentSpanId()).isEmpty();
        assertThat(client.parentSpanId()).isEqualTo(root.spanId());
        assertThat(server.parentSpanId()).isEqualTo(client.spanId());
        assertThat(llm.parentSpanId()).isEqualTo(server.spanId());
        assertThat(root.resourceAttribute("service.name")).contains("application-service");
        assertThat(server.resourceAttribute("service.name")).contains("gateway-service");
        assertThat(llm.attribute("openinference.span.kind")).contains("LLM");
        assertThat(llm.attribute("gen_ai.operation.name")).contains("chat");
        String prompt = "Where does my trace go?";
        assertThat(llm.attribute("llm.input_messages.1.message.content")).contains(prompt);
        assertThat(server.attribute("input.value")).contains(prompt);
        assertThat(llm.attribute("llm.output_messages.0.message.content")).isEqualTo(server.attribute("output.value")).isNotEmpty();
        // The offline model's answer quotes the prompt, so "once" is checked by the keys that used to repeat it.
        assertThat(List.of(llm.attribute("input.value"), llm.attribute("output.value"), server.attribute("input.text"),
                server.attribute("output.response"))).as("the prompt and the answer once per gateway span").allMatch(Optional::isEmpty);
        assertThat(server.attribute("context_propagated")).contains("bool_value: true");

        List<ReceivedSpan> atPhoenix = awaitTrace(phoenix, traceId, 4);
        assertThat(atPhoenix).allSatisfy(span ->
                assertThat(span.resourceAttribute("openinference.project.name")).contains("system-tests"));
        assertThat(phoenix.received()).allSatisfy(request -> {
            assertThat(request.authorization()).isEqualTo("Bearer " + PHOENIX_KEY);
            assertThat(request.contentType()).isEqualTo("application/x-protobuf");
        });
        assertThat(gateway.log() + application.log()).doesNotContain(PHOENIX_KEY);
        assertThat(application.log()).as("log lines carry trace and span ids")
                .contains("[application-service," + traceId + "," + root.spanId() + "]");
        assertThat(gateway.log()).contains("[gateway-service," + traceId + "," + server.spanId() + "]");
    }

    @Test
    void withPropagationOffTheGatewayStartsASeparateTrace() throws Exception {
        String traceId = askOk(application, "{\"text\":\"Lose the context\",\"transport\":\"http\",\"propagate\":false}");

        List<ReceivedSpan> trace = awaitTrace(collector, traceId, 2);
        assertThat(trace).extracting(ReceivedSpan::name).containsExactlyInAnyOrder("application_process_request", "gateway_request");
        ReceivedSpan orphanedGateway = await().atMost(Duration.ofSeconds(20)).until(() -> collector.spans().all().stream()
                .filter(span -> span.name().equals("llm_gateway_process"))
                .filter(span -> span.attribute("input.value").orElse("").equals("Lose the context"))
                .findFirst(), java.util.Optional::isPresent).orElseThrow();
        assertThat(orphanedGateway.traceId()).isNotEqualTo(traceId);
        assertThat(orphanedGateway.parentSpanId()).isEmpty();
        assertThat(orphanedGateway.attribute("context_propagated")).contains("bool_value: false");
    }



}
