package io.ctxprop.systemtests;

import static io.ctxprop.systemtests.Traces.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.ctxprop.telemetry.testing.ReceivedSpans.ReceivedSpan;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Both services as processes with OPENINFERENCE_HIDE_INPUTS and OPENINFERENCE_HIDE_OUTPUTS on: a
 * request over HTTP, Kafka and both is answered in one whole trace, and no span of either service
 * that reaches the collector carries the prompt or the answer, in any attribute or event.
 */
class HiddenContentIT {

    static Stack stack;
    static ServiceProcess gateway;
    static ServiceProcess application;

    @BeforeAll
    static void start() throws Exception {
        stack = new Stack();
        Map<String, String> hidden = Map.of("OPENINFERENCE_HIDE_INPUTS", "true", "OPENINFERENCE_HIDE_OUTPUTS", "true");
        gateway = stack.gateway("gateway-hidden", hidden);
        application = stack.application("application-hidden", gateway, hidden);
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    @Test
    void noPromptOrAnswerOnAnySpanWhileEveryTraceIsWhole() throws Exception {
        List<String> secrets = new ArrayList<>();
        for (var transport : Map.of("http", 4, "kafka", 7, "both", 10).entrySet()) {
            String prompt = "my private question sent over " + transport.getKey();
            var response = ask(application, "{\"text\":\"" + prompt + "\",\"transport\":\"" + transport.getKey() + "\"}");
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            List<String> answers = answers(response.body());
            assertThat(answers).as("the offline model quotes the prompt").allSatisfy(answer -> assertThat(answer).contains(prompt));
            secrets.add(prompt);
            secrets.addAll(answers);

            List<ReceivedSpan> trace = awaitTrace(stack.collector, traceIdOf(response.body()), transport.getValue());
            assertThat(trace).as(transport.getKey()).hasSize(transport.getValue());
            assertThat(only(trace, "application_process_request").attribute("text.length"))
                    .contains("int_value: " + prompt.length());
            if (transport.getKey().equals("both")) {
                assertWhole(trace);
            }
        }

        List<ReceivedSpan> everySpan = stack.collector.spans().all();
        assertThat(everySpan).extracting(span -> span.resourceAttribute("service.name").orElse(""))
                .contains("application-service", "gateway-service");
        for (ReceivedSpan span : everySpan) {
            for (String secret : secrets) {
                assertThat(span.texts()).as("%s of %s", span.name(), span.resourceAttribute("service.name").orElse(""))
                        .noneSatisfy(text -> assertThat(text).contains(secret));
            }
        }
    }

    /** The design's tree: both hops under one root, each down to the LLM span. */
    private static void assertWhole(List<ReceivedSpan> trace) {
        ReceivedSpan root = only(trace, "application_process_request");
        assertThat(root.parentSpanId()).isEmpty();
        ReceivedSpan httpClient = childOf(trace, root, "gateway_request");
        childOf(trace, childOf(trace, httpClient, "llm_gateway_process"), "chat offline-echo");
        ReceivedSpan send = childOf(trace, root, "send llm.requests");
        ReceivedSpan process = childOf(trace, send, "process llm.requests");
        childOf(trace, childOf(trace, process, "llm_gateway_process"), "chat offline-echo");
        childOf(trace, childOf(trace, process, "send llm.replies"), "process llm.replies");
    }

    /** The answers' texts in the JSON reply, unescaped as far as the offline model's answers need. */
    private static List<String> answers(String body) {
        var matcher = Pattern.compile("\"text\":\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(body);
        List<String> answers = new ArrayList<>();
        while (matcher.find()) {
            answers.add(matcher.group(1).replace("\\\"", "\"").replace("\\\\", "\\"));
        }
        assertThat(answers).as(body).isNotEmpty();
        return answers;
    }
}
